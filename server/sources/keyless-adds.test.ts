// Adding streams without an API key (InnerTube looks the video up): a video already counted in one event can
// be added to another, and a second add to the same event says it is there already. Both once failed with
// 422 video_not_found: a video looked up less than a poll interval ago got no answer, read as "missing".
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { simulatedSourcesEnv } from './testing/simulated-env.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe.each(engines)('adding streams without a key (%s)', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>> | undefined;
  afterEach(async () => {
    await inst?.close();
    inst = undefined;
  });

  it('adds a video already counted elsewhere, and refuses it twice in one event as a duplicate', async () => {
    sim.reset();
    sim.setVideo('keyless0001', { state: 'live', title: 'Keynote', curve: { kind: 'constant', value: 1200 } });
    inst = await testInstance(engine, {
      youtube: null,
      env: simulatedSourcesEnv(sim, { twitch: false }),
    });
    const headers = await adminHeaders(inst.config);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await inst!.app.request(`http://localhost${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { id: string; error?: { code: string } } };
    };
    const a = (await call('POST', '/api/events', { name: 'Main' })).body.id;
    const b = (await call('POST', '/api/events', { name: 'Overflow room' })).body.id;
    expect(await call('POST', `/api/events/${a}/streams`, { url: 'keyless0001' })).toMatchObject({ status: 201 });
    await inst.poller.tickOnce();
    expect(await call('POST', `/api/events/${b}/streams`, { url: 'https://youtu.be/keyless0001' })).toMatchObject({
      status: 201,
      body: { label: 'Keynote' },
    });
    expect(await call('POST', `/api/events/${b}/streams`, { url: 'keyless0001' })).toMatchObject({
      status: 409,
      body: { error: { code: 'duplicate_stream' } },
    });
    // Still one lookup: the others took its answer.
    expect(sim.innertube.calls().filter((c) => c.path === 'player')).toHaveLength(1);
  });

  it('still says a video that does not exist does not exist', async () => {
    sim.reset();
    inst = await testInstance(engine, {
      youtube: null,
      env: simulatedSourcesEnv(sim, { twitch: false }),
    });
    const headers = await adminHeaders(inst.config);
    const created = await inst.app.request('http://localhost/api/events', {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Main' }),
    });
    const { id } = (await created.json()) as { id: string };
    for (let i = 0; i < 2; i++) {
      const res = await inst.app.request(`http://localhost/api/events/${id}/streams`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ url: 'nosuchvideo' }),
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('video_not_found');
    }
  });
});
