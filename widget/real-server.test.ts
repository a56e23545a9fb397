// The widgets against the real LivePulse server (child process, YouTube simulator): through the test
// page's own origin (/livepulse/ proxied, like a page the server itself serves), and cross-origin as an
// embed on another site would load it.
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { ISeriesApi } from 'lightweight-charts';
import type { LivepulseSampleDetail } from './events.ts';
import './index.ts';
import type { LivepulseChart } from './livepulse-chart.ts';
import { mount, part, unmountAll, waitFor } from './testing/backend.ts';

interface RealEvent {
  server: string;
  proxied: string;
  id: string;
  streams: { id: string; label: string }[];
  token?: string;
}

/** An event on the real server; `server` is where the widgets are pointed: same origin by default. */
async function realEvent(
  options: { public: boolean; videos: string[] },
  origin: 'same' | 'cross' = 'same',
): Promise<RealEvent> {
  const e = await executeServerCommand<RealEvent, unknown>('livepulse-real', { action: 'event', ...options });
  return { ...e, server: origin === 'same' ? `${location.origin}${e.proxied}` : e.server };
}

const shown = (el: Element) => el.shadowRoot?.querySelector('[part="value"]')?.textContent?.trim() ?? '';
const nextSample = (el: Element) =>
  new Promise<LivepulseSampleDetail>((resolve) =>
    el.addEventListener('livepulse-sample', (e) => resolve((e as CustomEvent<LivepulseSampleDetail>).detail), {
      once: true,
    }),
  );

describe('widgets on the real server', function () {
  before(async function () {
    this.timeout(60_000); // the first call starts the server (database, migrations, simulator)
    await executeServerCommand('livepulse-real', { action: 'server' });
  });
  beforeEach(() => emulateMedia({ reducedMotion: 'reduce' }));
  afterEach(() => unmountAll());

  it('counter: shows the total, then each tick of the simulated streams', async () => {
    const e = await realEvent({ public: true, videos: ['demoLive001', 'demoLive002'] });
    const el = mount(`<livepulse-counter server="${e.server}" event="${e.id}" locale="en-US"></livepulse-counter>`);
    const sample = await nextSample(el);
    expect(sample.sample.total).to.be.greaterThan(1000);
    expect(Object.keys(sample.sample.streams).sort()).to.deep.equal(e.streams.map((s) => s.id).sort());
    await waitFor(
      () => shown(el) === new Intl.NumberFormat('en-US').format(sample.sample.total),
      'the sample total on screen',
    );
    expect(el.getAttribute('state')).to.equal('live');
  });

  it('counter: one stream, formatted fr-CA', async () => {
    const e = await realEvent({ public: true, videos: ['demoLive001', 'demoLive003'] });
    const sid = e.streams[1].id;
    const el = mount(
      `<livepulse-counter server="${e.server}" event="${e.id}" stream="${sid}" locale="fr-CA"></livepulse-counter>`,
    );
    const sample = await nextSample(el);
    expect(sample.value).to.equal(sample.sample.streams[sid]);
    await waitFor(
      () => shown(el) === new Intl.NumberFormat('fr-CA').format(sample.value!),
      'the stream count in fr-CA',
    );
  });

  it('chart: starts from the history and appends live samples', async () => {
    const e = await realEvent({ public: true, videos: ['demoLive002'] });
    const warmup = mount(`<livepulse-counter server="${e.server}" event="${e.id}"></livepulse-counter>`);
    await nextSample(warmup);
    await nextSample(warmup); // two ticks stored: the chart's history has points
    unmountAll();
    const el = mount<LivepulseChart>(
      `<livepulse-chart server="${e.server}" event="${e.id}" streams locale="en-US"></livepulse-chart>`,
    );
    const total = () => (el as unknown as { total: ISeriesApi<'Area'> }).total;
    await waitFor(() => el.getAttribute('state') === 'live' && total()?.data().length >= 2, 'history points');
    const before = total().data().length;
    const sample = await nextSample(el);
    await waitFor(() => total().data().length === before + 1, 'the live point appended');
    expect(total().data().at(-1)).to.include({ value: sample.sample.total });
    expect(part(el, 'base').getAttribute('aria-label')).to.match(/now, peak/);
  });

  it('five elements share one connection', async () => {
    const e = await realEvent({ public: true, videos: ['demoLive001'] });
    const Original = window.EventSource;
    let opened = 0;
    window.EventSource = class extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        opened++;
      }
    };
    try {
      const attrs = `server="${e.server}" event="${e.id}"`;
      const host = mount(`<section>
        <livepulse-counter ${attrs}></livepulse-counter><livepulse-counter ${attrs} compact></livepulse-counter>
        <livepulse-counter ${attrs} stream="${e.streams[0].id}"></livepulse-counter>
        <livepulse-chart ${attrs}></livepulse-chart><livepulse-chart ${attrs} streams></livepulse-chart>
      </section>`);
      await waitFor(() => [...host.children].every((c) => c.getAttribute('state') === 'live'), 'all five live', 10_000);
      expect(opened).to.equal(1);
    } finally {
      window.EventSource = Original;
    }
  });

  it('private event: live with its embed token, denied without', async () => {
    const e = await realEvent({ public: false, videos: ['demoLive003'] });
    const good = mount(
      `<livepulse-counter server="${e.server}" event="${e.id}" token="${e.token}"></livepulse-counter>`,
    );
    await nextSample(good);
    expect(good.getAttribute('state')).to.equal('live');
    const bad = mount(
      `<livepulse-counter server="${e.server}" event="${e.id}" token="not-a-token"></livepulse-counter>`,
    );
    await waitFor(() => bad.getAttribute('state') === 'denied', 'denied', 8000);
  });

  it('unknown event: not-found', async () => {
    const { proxied } = await executeServerCommand<{ proxied: string }, unknown>('livepulse-real', {
      action: 'server',
    });
    const el = mount(
      `<livepulse-counter server="${location.origin}${proxied}" event="no-such-event-0000"></livepulse-counter>`,
    );
    await waitFor(() => el.getAttribute('state') === 'not-found', 'not-found', 8000);
  });
});

// Cross-origin, as an embed on another site: the SSE response of a public event and the 401/404 answers
// of the event read routes carry Access-Control-Allow-Origin, so a widget reads its numbers and tells
// "not allowed" and "no such event" from a network failure.
describe('widgets on the real server, embedded on another origin', () => {
  beforeEach(() => emulateMedia({ reducedMotion: 'reduce' }));
  afterEach(() => unmountAll());

  it('public event: live numbers', async () => {
    const e = await realEvent({ public: true, videos: ['demoLive001'] }, 'cross');
    const el = mount(`<livepulse-counter server="${e.server}" event="${e.id}" locale="en-US"></livepulse-counter>`);
    const sample = await nextSample(el);
    await waitFor(
      () => shown(el) === new Intl.NumberFormat('en-US').format(sample.sample.total),
      'the sample total on screen',
    );
  });

  it('private event: live with its token, denied without; unknown event: not-found', async () => {
    const e = await realEvent({ public: false, videos: ['demoLive003'] }, 'cross');
    const good = mount(
      `<livepulse-counter server="${e.server}" event="${e.id}" token="${e.token}"></livepulse-counter>`,
    );
    await nextSample(good);
    const bad = mount(`<livepulse-counter server="${e.server}" event="${e.id}"></livepulse-counter>`);
    const unknown = mount(`<livepulse-counter server="${e.server}" event="no-such-event-0000"></livepulse-counter>`);
    await waitFor(() => bad.getAttribute('state') === 'denied', 'denied', 8000);
    await waitFor(() => unknown.getAttribute('state') === 'not-found', 'not-found', 8000);
  });
});
