import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../auth/testing/test-session.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { addressKey, createAddressLimits, createConnectionLimit, createRateLimit } from './address-limits.ts';

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and counts IPv6 by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0DB8:0001:0002:ffff::9')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('unknown')).toBe('unknown');
  });
});

describe('per-address limits', () => {
  it('count open connections per address and give the slot back once', () => {
    const limit = createConnectionLimit(2, 'test_limit');
    const a = limit.open('198.51.100.1')!;
    const b = limit.open('198.51.100.1')!;
    expect(limit.open('198.51.100.1')).toBeNull();
    expect(limit.open('198.51.100.2')).not.toBeNull();
    a();
    a(); // twice: still one slot back, not two
    expect(limit.count('198.51.100.1')).toBe(1);
    expect(limit.open('198.51.100.1')).not.toBeNull();
    expect(limit.open('198.51.100.1')).toBeNull();
    b();
  });

  it('let a burst of perMinute through, then refill at perMinute a minute, with the wait in seconds', () => {
    const limit = createRateLimit(60, 'test_rate');
    const t = 1_000_000;
    for (let i = 0; i < 60; i++) expect(limit.retryAfter('198.51.100.1', t)).toBe(0);
    expect(limit.retryAfter('198.51.100.1', t)).toBe(1);
    expect(limit.retryAfter('198.51.100.9', t)).toBe(0); // another address has its own bucket
    expect(limit.retryAfter('198.51.100.1', t + 1000)).toBe(0);
    expect(limit.retryAfter('198.51.100.1', t + 1000)).toBe(1);
  });

  it('by default never refuse a venue: 2,000 people behind one NAT, each with a dashboard and a second tab', () => {
    const limits = createAddressLimits(testConfig());
    const nat = '203.0.113.50';
    for (let i = 0; i < 4_000; i++) expect(limits.sse.open(nat), `stream ${i}`).not.toBeNull();
    // Every page loads its history at the same moment (SSE connects count as reads too).
    const t = Date.now();
    let refused = 0;
    for (let i = 0; i < 4_000 + 2_000; i++) if (limits.reads.retryAfter(nat, t) !== 0) refused++;
    expect(refused).toBe(0);
    // …while one script opening 50,000 streams is stopped at the default.
    let opened = 4_000;
    while (limits.sse.open(nat)) opened++;
    expect(opened).toBe(testConfig().SSE_MAX_PER_ADDRESS);
    expect(opened).toBeLessThan(testConfig().SSE_MAX_CLIENTS);
  });
});

describe.each(engines)('per-address limits over HTTP on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  beforeAll(async () => {
    inst = await testInstance(engine, {
      listen: true,
      env: { SSE_MAX_PER_ADDRESS: '3', HISTORY_READS_PER_MINUTE: '20', TRUST_PROXY: '1' },
    });
    await seedEvent(inst.db, 'ev', [{ id: 's0' }]);
  });
  afterAll(() => inst?.close());

  const from = (address: string) => ({ 'X-Forwarded-For': address });

  /** The first frames of a stream: its status state once it has one. */
  async function streamState(address: string, ac: AbortController): Promise<string> {
    const res = await fetch(`${inst.url}/api/events/ev/stream`, { headers: from(address), signal: ac.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while (!/event: status\ndata: .*\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    return /"state":"(\w+)"/.exec(text)?.[1] ?? `no status in ${text}`;
  }

  it('refuse the fourth stream of one address as server_full, not another address, and take it once one closes', async () => {
    const held = [new AbortController(), new AbortController(), new AbortController()];
    for (const ac of held) expect(await streamState('198.51.100.1', ac)).toBe('ok');
    expect(await streamState('198.51.100.1', new AbortController())).toBe('server_full');
    const other = new AbortController();
    expect(await streamState('198.51.100.2', other)).toBe('ok');
    held[0].abort();
    const deadline = Date.now() + 5000;
    let state = '';
    while (
      Date.now() < deadline &&
      (state = await streamState('198.51.100.1', (held[0] = new AbortController()))) !== 'ok'
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(state).toBe('ok');
    [...held, other].forEach((ac) => ac.abort());
  });

  it('answer a history flood from one address with 429 rate_limited and Retry-After, while another address is served', async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${inst.url}/api/events/ev/history?minutes=5`, { headers: from('198.51.100.3') });
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
      else await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
    expect(refused!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(refused!.headers.get('access-control-allow-origin')).toBe('*');
    expect(await refused!.json()).toMatchObject({ error: { code: 'rate_limited' } });
    const csv = await fetch(`${inst.url}/api/events/ev/history.csv?minutes=5`, { headers: from('198.51.100.3') });
    expect(csv.status).toBe(429);
    expect((await fetch(`${inst.url}/api/events/ev/history?minutes=5`, { headers: from('198.51.100.4') })).status).toBe(
      200,
    );
  });
});
