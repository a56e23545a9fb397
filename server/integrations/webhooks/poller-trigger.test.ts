// The whole path with the real poller: YouTube (the simulator) says a stream went live, then ended; the
// poller's write records the occurrences and a sender delivers each once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../../auth/testing/test-session.ts';
import { insertEvent, insertStream } from '../../events/queries.ts';
import { startSimulator, type Simulator } from '../../simulator/simulator.ts';
import { engines } from '../../testing/test-db.ts';
import { testInstance } from '../../testing/test-instance.ts';
import { createWebhookRunner } from './runner.ts';
import { addressPolicy } from './ssrf.ts';
import { startReceiver } from './testing/receiver.ts';

const KEY = 'webhook-simulator-key-0000';
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe.each(engines)('webhooks fed by the poller on %s', (engine) => {
  it('tells the receiver once that the stream went live, then once that it ended', async () => {
    const receiver = await startReceiver();
    const inst = await testInstance(engine, {
      youtube: { baseUrl: sim.baseUrl, apiKey: KEY },
      env: { WEBHOOK_ALLOW_PRIVATE: '1', YT_DAILY_QUOTA: '1000000' },
    });
    try {
      const video = `whPoll${engine === 'postgres' ? 'PG' : 'EM'}001`;
      sim.setVideo(video, { state: 'live' });
      await insertEvent(inst.db, {
        id: 'hooked',
        name: 'Hooked',
        public: true,
        startsAt: null,
        endsAt: null,
        embedKey: 'k',
      });
      await insertStream(inst.db, {
        id: 'hs1',
        eventId: 'hooked',
        videoId: video,
        label: 'Main hall',
        status: 'pending',
        statusReason: null,
        scheduledStart: null,
        title: null,
        channelTitle: null,
      });
      const res = await inst.app.request('http://localhost/api/events/hooked/webhooks', {
        method: 'POST',
        headers: await adminHeaders(inst.config),
        body: JSON.stringify({ url: receiver.url, kind: 'json', on: ['stream.live', 'stream.ended'] }),
      });
      expect(res.status).toBe(201);
      const sender = createWebhookRunner({ db: inst.db, policy: addressPolicy(true) });
      const types = () => receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);

      await inst.poller.tickOnce(); // pending → live
      await inst.poller.tickOnce(); // still live: no new occurrence
      await sender.runOnce();
      expect(types()).toEqual(['stream.live']);
      sim.setVideo(video, { state: 'ended' });
      await inst.poller.tickOnce();
      await sender.runOnce();
      await sender.runOnce();
      expect(types()).toEqual(['stream.live', 'stream.ended']);
    } finally {
      await inst.close();
      await receiver.close();
    }
  });
});
