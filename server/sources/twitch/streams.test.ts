import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/simulator.ts';
import { createTwitchClient } from './streams.ts';

let sim: Simulator;
let clock = Date.parse('2026-11-29T12:00:00Z');
beforeAll(async () => {
  sim = await startSimulator({ now: () => clock });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const client = (overrides: { clientSecret?: string } = {}) =>
  createTwitchClient(
    {
      clientId: 'simclientid0000000000000000000',
      clientSecret: overrides.clientSecret ?? 'simclientsecret00000000000000',
      apiBaseUrl: sim.twitchApiBaseUrl,
      authBaseUrl: sim.twitchAuthBaseUrl,
    },
    { now: () => clock },
  );

describe('Twitch Helix client against the simulator', () => {
  it('gets one app token, reuses it, and renews it once after a 401', async () => {
    sim.twitch.setChannel('shroud', { live: true, curve: { kind: 'constant', value: 4321 } });
    const twitch = client();
    expect(await twitch.streams(['shroud'])).toEqual([
      expect.objectContaining({ login: 'shroud', status: 'live', viewers: 4321 }),
    ]);
    await twitch.streams(['shroud']);
    expect(sim.twitch.tokensIssued()).toBe(1);
    sim.twitch.revokeTokens();
    expect(await twitch.streams(['shroud'])).toEqual([expect.objectContaining({ status: 'live', viewers: 4321 })]);
    expect(sim.twitch.tokensIssued()).toBe(2);
    // 2 calls before the revocation, then the refused one and its retry
    expect(sim.twitch.calls().map((c) => c.status)).toEqual([200, 200, 401, 200]);
  });

  it('refuses wrong credentials with a message naming the settings, never the secret', async () => {
    const out = await client({ clientSecret: 'the-wrong-secret-value' }).streams(['shroud']);
    expect(out).toEqual([
      { login: 'shroud', status: 'failed', reason: expect.stringContaining('TWITCH_CLIENT_SECRET') },
    ]);
    expect(JSON.stringify(out)).not.toContain('the-wrong-secret-value');
    expect(sim.twitch.calls()).toHaveLength(0);
  });

  it('asks for 250 logins in 3 calls of at most 100, with first=100, and a login absent from data is offline', async () => {
    const logins = Array.from({ length: 250 }, (_, i) => `channel_${String(i).padStart(3, '0')}`);
    // 30 live channels in the first batch: with Twitch's default first=20 ten of them would look offline.
    for (const login of logins.slice(0, 30))
      sim.twitch.setChannel(login, { live: true, curve: { kind: 'constant', value: 7 } });
    sim.twitch.setChannel(logins[249], { live: false });
    const out = await client().streams(logins);
    const calls = sim.twitch.calls();
    expect(calls.map((c) => c.logins.length)).toEqual([100, 100, 50]);
    expect(calls.every((c) => c.first === 100)).toBe(true);
    expect(out).toHaveLength(250);
    expect(out.filter((o) => o.status === 'live')).toHaveLength(30);
    expect(out.filter((o) => o.status === 'offline')).toHaveLength(220);
  });

  it('on a 429 makes no call until Ratelimit-Reset, and those logins are a gap, not offline', async () => {
    sim.twitch.setChannel('shroud', { live: true, curve: { kind: 'constant', value: 10 } });
    const twitch = client();
    sim.twitch.rateLimit({ times: 1, resetInSeconds: 30 });
    const logins = ['shroud', ...Array.from({ length: 150 }, (_, i) => `other_${i}`)];
    const first = await twitch.streams(logins);
    expect(first.every((o) => o.status === 'failed')).toBe(true);
    // Twitch's trouble, for the poller's back-off of Twitch alone: Ratelimit-Reset is its Retry-After.
    expect(first[0]).toMatchObject({ fault: { kind: 'rate_limited', httpStatus: 429, retryAfterSeconds: 30 } });
    expect(sim.twitch.calls()).toHaveLength(1); // the second batch was not sent into a closed bucket
    expect(twitch.blockedUntil()).toBe(Math.ceil(clock / 1000) * 1000 + 30_000);
    clock += 10_000;
    expect((await twitch.streams(['shroud']))[0]).toMatchObject({
      status: 'failed',
      fault: { kind: 'rate_limited', retryAfterSeconds: 20 },
    });
    expect(sim.twitch.calls()).toHaveLength(1);
    clock += 21_000;
    expect((await twitch.streams(['shroud']))[0]).toMatchObject({ status: 'live', viewers: 10 });
    expect(sim.twitch.calls()).toHaveLength(2);
  });

  it('an unreachable Twitch is a gap for every login', async () => {
    const twitch = createTwitchClient(
      {
        clientId: 'x',
        clientSecret: 'y',
        apiBaseUrl: 'http://127.0.0.1:9/helix',
        authBaseUrl: 'http://127.0.0.1:9/oauth2',
      },
      { timeoutMs: 2000 },
    );
    const out = await twitch.streams(['a_login', 'b_login']);
    expect(out.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(out[0]).toMatchObject({ fault: { kind: 'network' } });
  });

  it('a 5xx is a gap for every login of the call and Twitch’s own passing trouble; refused credentials are not', async () => {
    sim.twitch.setChannel('shroud', { live: true, curve: { kind: 'constant', value: 10 } });
    sim.twitch.fail({ status: 503 });
    const twitch = client();
    expect(await twitch.streams(['shroud', 'other'])).toEqual(
      ['shroud', 'other'].map((login) => ({
        login,
        status: 'failed',
        reason: 'Twitch answered HTTP 503',
        fault: { kind: 'unavailable', httpStatus: 503, reason: 'Twitch answered HTTP 503' },
      })),
    );
    expect((await twitch.streams(['shroud']))[0]).toMatchObject({ status: 'live', viewers: 10 });
    const refused = await client({ clientSecret: 'the-wrong-secret-value' }).streams(['shroud']);
    expect(refused[0]).not.toHaveProperty('fault');
  });

  it('a stream whose type is not "live" is offline; a malformed entry is a gap for that login only', async () => {
    const fake: typeof fetch = (input) =>
      Promise.resolve(
        (input instanceof Request ? input.url : input.toString()).includes('/token')
          ? Response.json({ access_token: 't', expires_in: 3600 })
          : Response.json({
              data: [
                { user_login: 'aaaa', type: '', viewer_count: 5 },
                { user_login: 'bbbb', type: 'live', viewer_count: '12' },
                { user_login: 'CCCC', type: 'live', viewer_count: 12, title: 'x\u0000y' },
              ],
            }),
      );
    const out = await createTwitchClient(
      { clientId: 'x', clientSecret: 'y', apiBaseUrl: 'http://t/helix', authBaseUrl: 'http://t/oauth2' },
      { fetch: fake },
    ).streams(['aaaa', 'bbbb', 'cccc']);
    expect(out).toEqual([
      { login: 'aaaa', status: 'offline' },
      { login: 'bbbb', status: 'failed', reason: 'Twitch sent an unreadable stream entry' },
      { login: 'cccc', status: 'live', viewers: 12, title: 'xy', startedAt: null },
    ]);
  });
});
