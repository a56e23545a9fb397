import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { IChartApi, ISeriesApi, ISeriesMarkersPluginApi, Time, UTCTimestamp } from 'lightweight-charts';
import type { LivepulseSampleDetail } from './events.ts';
import './index.ts';
import type { LivepulseChart } from './livepulse-chart.ts';
import { FakeEvent, mount, part, unmountAll, waitFor, type FakeEventOptions } from './testing/backend.ts';

/** The chart's series, read through its private fields: what lightweight-charts really holds. */
function series(el: LivepulseChart) {
  const inner = el as unknown as { total: ISeriesApi<'Area'>; lines: Map<string, ISeriesApi<'Line'>> };
  return { total: inner.total, lines: inner.lines };
}
/**
 * Values by position on the time axis, whitespace points as null (series.data() leaves those out, and
 * dataByIndex gives null for them as for positions past the end: `length` says where the axis ends).
 */
function values(s: ISeriesApi<'Area' | 'Line'>, length?: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < (length ?? 2000); i++) {
    const p = s.dataByIndex(i);
    out.push(p && 'value' in p ? p.value : null);
  }
  while (length === undefined && out.length && out.at(-1) === null) out.pop();
  return out;
}

/** The texts of the chart's markers (milestones and peak), in time order. */
const markerTexts = (el: LivepulseChart) =>
  ((el as unknown as { markers: ISeriesMarkersPluginApi<Time> | null }).markers?.markers() ?? []).map((m) => m.text);

describe('<livepulse-chart>', () => {
  afterEach(() => unmountAll());

  it('starts from the history, then appends each sample', async () => {
    const e = await FakeEvent.create({ history: [500, 650, 800, 900] });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US"></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    expect(values(series(el).total)).to.deep.equal([500, 650, 800, 900]);
    await e.sample({ s1: 700, s2: 320 });
    await waitFor(() => values(series(el).total).length === 5, 'the appended sample');
    expect(values(series(el).total).at(-1)).to.equal(1020);
  });

  it('draws a hole longer than 2.5 intervals as a gap', async () => {
    const e = await FakeEvent.create({ history: [500, 600] });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}"></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    await e.sample({ s1: 300, s2: 300 }); // one interval after the history: no gap
    await e.sample({ s1: 400, s2: 400 }, Date.now() + 10 * e.intervalSeconds * 1000);
    await waitFor(() => values(series(el).total).at(-1) === 800, 'the late sample');
    // Whitespace for each missed interval keeps the time axis linear...
    expect(values(series(el).total)).to.deep.equal([500, 600, 600, ...Array(9).fill(null), 800]);
    // ...and the point before the hole draws no segment onwards (the chart would join across whitespace).
    expect(series(el).total.dataByIndex(2)).to.include({
      value: 600,
      lineColor: 'rgba(0, 0, 0, 0)',
      topColor: 'rgba(0, 0, 0, 0)',
    });
    expect(series(el).total.dataByIndex(1)).not.to.have.property('lineColor');
  });

  it('draws one line per stream, titled with its label', async () => {
    const e = await FakeEvent.create({ history: [1000, 2000] });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" streams></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    const { lines } = series(el);
    expect([...lines.keys()]).to.deep.equal(['s1', 's2']);
    expect(values(lines.get('s1')!)).to.deep.equal([700, 1400]);
    expect(lines.get('s2')!.options().title).to.equal('Backstage');
    await e.sample({ s1: 5, s2: null }); // a hidden count is a hole in its line, not a zero
    await waitFor(() => values(lines.get('s1')!).at(-1) === 5, 'the sample on s1');
    expect(values(lines.get('s2')!, values(series(el).total).length)).to.deep.equal([300, 600, null]);
    expect(lines.get('s2')!.dataByIndex(1)).to.include({ color: 'rgba(0, 0, 0, 0)' });
  });

  it('shortens a long label on its line, keeping the platform of a mixed event (no bar across the plot)', async () => {
    const long = `Open Source Summit 2026 main stage ${'day two keynotes and panels '.repeat(6)}`.slice(0, 200);
    const e = await FakeEvent.create({
      history: [1000, 2000],
      streams: [
        { id: 's1', label: long, viewers: 700 },
        { id: 's2', label: long, viewers: 300, platform: 'twitch', login: 'co', videoId: null },
      ],
    });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" streams></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    const { lines } = series(el);
    await waitFor(() => lines.get('s2')?.options().title.endsWith(' · Twitch') === true, 'the Twitch line’s title');
    expect(lines.get('s1')!.options().title).to.equal('Open Source Summit 2026… · YouTube');
    expect(lines.get('s2')!.options().title).to.equal('Open Source Summit 2026… · Twitch');
  });

  it('names each line’s platform when the event mixes YouTube and Twitch, and totals both', async () => {
    const e = await FakeEvent.create({
      history: [1000, 2000],
      streams: [
        { id: 's1', label: 'Main stage', viewers: 700 },
        { id: 's2', label: 'Co-stream', viewers: 300, platform: 'twitch', login: 'co', videoId: null },
        { id: 's3', label: 'Twitch chat room', viewers: 0, platform: 'twitch', login: 'cr', videoId: null },
      ],
    });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" streams></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    const { lines, total } = series(el);
    await waitFor(() => lines.get('s2')?.options().title === 'Co-stream · Twitch', 'the Twitch line’s title');
    expect(lines.get('s1')!.options().title).to.equal('Main stage · YouTube');
    expect(lines.get('s3')!.options().title).to.equal('Twitch chat room'); // not "… · Twitch" again
    await e.sample({ s1: 1200, s2: 345, s3: 0 });
    await waitFor(() => values(total).at(-1) === 1545, 'the total of both platforms');
  });

  it('only the listed streams with streams="id,…", none without the attribute', async () => {
    const e = await FakeEvent.create();
    const some = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" streams="s2"></livepulse-chart>`);
    const none = mount<LivepulseChart>(`<livepulse-chart event="${e.id}"></livepulse-chart>`);
    await waitFor(() => some.getAttribute('state') === 'live' && none.getAttribute('state') === 'live', 'live');
    expect([...series(some).lines.keys()]).to.deep.equal(['s2']);
    expect(series(none).lines.size).to.equal(0);
  });

  it('marks the peak and summarises value and peak in its aria-label', async () => {
    const e = await FakeEvent.create({ history: [1500, 4200, 3000] });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US"></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    await e.sample({ s1: 2000, s2: 100 });
    await waitFor(() => part(el, 'base').getAttribute('aria-label')?.includes('2,100 now'), 'the summary');
    expect(part(el, 'base').getAttribute('role')).to.equal('figure');
    expect(part(el, 'base').getAttribute('aria-label')).to.match(/peak 4,200 at \d/);
    // The peak's level as a dashed line without a value-axis label (it covered the axis's own), named on the curve.
    expect(
      series(el)
        .total.priceLines()
        .map((l) => [l.options().price, l.options().axisLabelVisible]),
    ).to.deep.equal([[4200, false]]);
    expect(markerTexts(el)).to.deep.equal(['Peak 4,200']);
  });

  it('milestones: marks each threshold and the record peak, from the list and then live; none without the attribute', async () => {
    const e = await FakeEvent.create({ history: [800, 9000, 12000, 15413] });
    // The history's points are 10 s apart and end 10 s ago (testing/backend.ts).
    const at = (i: number) => new Date(Date.parse(e.updatedAt) - (3 - i) * 10_000).toISOString();
    await e.setMilestones([
      { kind: 'threshold', value: 1000, ts: at(1) },
      { kind: 'threshold', value: 5000, ts: at(1) },
      { kind: 'threshold', value: 10000, ts: at(2) },
      { kind: 'peak', value: 12000, ts: at(2) },
      { kind: 'peak', value: 15413, ts: at(3) },
      { kind: 'threshold', value: 1000, ts: new Date(Date.parse(at(0)) - 3600_000).toISOString() },
    ]);
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US" milestones></livepulse-chart>`);
    const plain = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US"></livepulse-chart>`);
    const texts = markerTexts;
    // The thresholds (of 1K and 5K passed at once, 5K), and the peak drawn; the threshold an hour before the
    // first point is not drawn on it.
    await waitFor(() => texts(el).length === 3, 'the listed milestones');
    expect(texts(el)).to.deep.equal(['5K', '10K', 'Peak 15,413']);
    await e.sample({ s1: 14000, s2: 6000 });
    await e.milestone({ kind: 'threshold', value: 20000, ts: new Date().toISOString() });
    await e.milestone({ kind: 'peak', value: 20000, ts: new Date().toISOString() });
    await waitFor(() => texts(el).includes('20K'), 'the live milestone');
    expect(texts(el)).to.deep.equal(['5K', '10K', '20K', 'Peak 20,000']);
    expect(texts(plain)).to.deep.equal(['Peak 20,000']);
    plain.milestones = true;
    await waitFor(() => texts(plain).length === 4, 'markers once switched on');
  });

  it('milestones in a long window sit on the bucket they fell in, one marker per bucket', async () => {
    const e = await FakeEvent.create({ history: [800, 4000, 9000, 12000], bucketSeconds: 60 });
    const bucket = (i: number) => Date.parse(e.updatedAt) - (3 - i) * 60_000;
    await e.setMilestones([
      { kind: 'threshold', value: 1000, ts: new Date(bucket(1) + 12_000).toISOString() },
      { kind: 'threshold', value: 5000, ts: new Date(bucket(2) + 5_000).toISOString() },
      { kind: 'threshold', value: 10000, ts: new Date(bucket(3) + 20_000).toISOString() },
    ]);
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US" milestones></livepulse-chart>`);
    const markers = () => (el as unknown as { markers: ISeriesMarkersPluginApi<Time> | null }).markers?.markers() ?? [];
    await waitFor(() => markers().length === 4, 'the markers');
    expect(markers().map((m) => [m.time, m.text])).to.deep.equal([
      [Math.floor(bucket(1) / 1000), '1K'],
      [Math.floor(bucket(2) / 1000), '5K'],
      [Math.floor(bucket(3) / 1000), '10K'],
      [Math.floor(bucket(3) / 1000), 'Peak 12,000'],
    ]);
  });

  it('takes the page colours again when the colour scheme changes (and on paper): axis, markers, peak line', async () => {
    const e = await FakeEvent.create({ history: [800, 1500, 1200] });
    const style = document.createElement('style');
    style.textContent =
      '.scheme { color: rgb(20, 20, 20) } @media (prefers-color-scheme: dark) { .scheme { color: rgb(230, 230, 230) } }';
    document.head.append(style);
    try {
      await emulateMedia({ colorScheme: 'light' });
      const wrap = mount<HTMLElement>(`<div class="scheme"><livepulse-chart event="${e.id}"></livepulse-chart></div>`);
      const el = wrap.firstElementChild as LivepulseChart;
      await waitFor(() => markerTexts(el).length === 1, 'the peak marker');
      const colors = () => {
        const markers = (el as unknown as { markers: ISeriesMarkersPluginApi<Time> }).markers.markers();
        return [
          (el as unknown as { chart: IChartApi }).chart.options().layout.textColor,
          markers[0].color,
          series(el).total.priceLines()[0].options().color,
        ];
      };
      expect(colors()).to.deep.equal(['rgb(20, 20, 20)', 'rgb(20, 20, 20)', 'rgba(20,20,20,0.6)']);
      await emulateMedia({ colorScheme: 'dark' });
      await waitFor(() => colors()[0] === 'rgb(230, 230, 230)', 'the dark colours');
      expect(colors()).to.deep.equal(['rgb(230, 230, 230)', 'rgb(230, 230, 230)', 'rgba(230,230,230,0.6)']);
    } finally {
      await emulateMedia({ colorScheme: 'light' });
      style.remove();
    }
  });

  it('chat: messages a minute as bars on a scale of their own, only when asked, from the history then live', async () => {
    const wave = Array.from({ length: 48 }, (_, i) => 5000 + 40 * i);
    const e = await FakeEvent.create({ history: wave, chat: [3, 5, 8, 12, 9, 14] });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US"></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    const chart = () => (el as unknown as { chart: IChartApi }).chart;
    const bars = () => (el as unknown as { chatBars: ISeriesApi<'Histogram'> | null }).chatBars;
    expect(bars(), 'no bars without the attribute').to.equal(null);
    expect(chart().options().leftPriceScale.visible).to.equal(false);
    /** Moments on the time axis: the last one's logical index. */
    const slots = () =>
      chart()
        .timeScale()
        .timeToIndex(Math.floor(Date.now() / 1000 + 3600) as UTCTimestamp, true);
    const before = slots();
    el.chat = true;
    await waitFor(() => bars()?.data().length === 6, 'the bars');
    expect(
      bars()!
        .data()
        .map((b) => (b as { value: number }).value),
    ).to.deep.equal([3, 5, 8, 12, 9, 14]);
    // Their own scale, on the left; the viewers keep theirs.
    expect(bars()!.options().priceScaleId).to.equal('left');
    expect(series(el).total.options().priceScaleId ?? 'right').to.equal('right');
    expect(chart().options().leftPriceScale.visible).to.equal(true);
    // Each bar sits on a moment the curve has (the first count of its minute): no slot of their own on the time axis.
    const times = new Set(
      series(el)
        .total.data()
        .map((p) => p.time),
    );
    for (const b of bars()!.data()) expect(times.has(b.time), `bar at ${JSON.stringify(b.time)}`).to.equal(true);
    expect(slots()).to.equal(before);
    expect(part(el, 'base').getAttribute('aria-label')).to.contain('14 chat messages a minute');
    // A closed minute arrives live.
    await e.sample({ s1: 4000, s2: 1000 });
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    await e.sample({ s1: 4100, s2: 1000 }, minute + 1000);
    await e.chatMinute(minute, 21);
    await waitFor(() => bars()!.data().length === 7, 'the live minute');
    expect((bars()!.data().at(-1) as { value: number }).value).to.equal(21);
    el.chat = false;
    await waitFor(() => bars() === null, 'the bars taken away');
    expect(chart().options().leftPriceScale.visible).to.equal(false);
  });

  it('chat on (screenshot, dark)', async () => {
    await setViewport({ width: 1000, height: 700 });
    const wave = Array.from({ length: 90 }, (_, i) => Math.round(6000 + 4000 * Math.sin((i / 89) * Math.PI)));
    const chat = Array.from({ length: 14 }, (_, i) => Math.round(40 + 90 * Math.sin((i / 13) * Math.PI) + (i % 3) * 7));
    const e = await FakeEvent.create({ history: wave, chat, streams: [{ id: 's1', label: 'Main', viewers: 7000 }] });
    const wrap = mount<HTMLElement>(
      `<div style="width: 800px; padding: 16px; background: #0b1020; color: #e2e8f0; font: 16px system-ui, sans-serif">
        <livepulse-chart event="${e.id}" locale="en-US" minutes="15" chat style="--livepulse-font-size: 14px; height: 320px"></livepulse-chart>
      </div>`,
    );
    const el = wrap.firstElementChild as LivepulseChart;
    await waitFor(
      () => ((el as unknown as { chatBars: ISeriesApi<'Histogram'> | null }).chatBars?.data().length ?? 0) > 10,
      'the bars',
    );
    await new Promise((r) => setTimeout(r, 300));
    const r = wrap.getBoundingClientRect();
    await executeServerCommand('screenshot', {
      name: 'chart/chat-dark',
      clip: { x: r.x, y: r.y, width: r.width, height: r.height },
    });
  });

  it('milestones in French: "10 k", "Pic 15 413"', async () => {
    const e = await FakeEvent.create({ history: [9000, 15413] });
    await e.setMilestones([
      { kind: 'threshold', value: 10000, ts: e.updatedAt },
      { kind: 'peak', value: 15413, ts: e.updatedAt },
    ]);
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="fr-FR" milestones></livepulse-chart>`);
    const texts = () => markerTexts(el);
    await waitFor(() => texts().length === 2, 'the markers');
    // Intl's compact and grouping spaces (narrow no-break), not ours.
    expect(texts()).to.deep.equal([
      new Intl.NumberFormat('fr-FR', { notation: 'compact' }).format(10000),
      `Pic ${new Intl.NumberFormat('fr-FR').format(15413)}`,
    ]);
  });

  for (const [scheme, bg, fg] of [
    ['dark', '#0b1020', '#e2e8f0'],
    ['light', '#ffffff', '#1b1f24'],
  ] as const) {
    it(`milestone markers on ${scheme} (screenshot)`, async () => {
      await setViewport({ width: 1000, height: 700 });
      const wave = Array.from({ length: 90 }, (_, i) => Math.round(6000 + 9413 * Math.sin((i / 89) * Math.PI * 0.9)));
      const e = await FakeEvent.create({ history: wave, streams: [{ id: 's1', label: 'Main', viewers: 7000 }] });
      const at = (i: number) => new Date(Date.parse(e.updatedAt) - (89 - i) * 10_000).toISOString();
      const first = (n: number) => wave.findIndex((v) => v >= n);
      const peak = wave.indexOf(Math.max(...wave));
      await e.setMilestones([
        { kind: 'threshold', value: 10000, ts: at(first(10000)) },
        { kind: 'threshold', value: 15000, ts: at(first(15000)) },
        { kind: 'peak', value: Math.max(...wave), ts: at(peak) },
      ]);
      const wrap = mount<HTMLElement>(
        `<div style="width: 800px; padding: 16px; background: ${bg}; color: ${fg}; font: 16px system-ui, sans-serif">
          <livepulse-chart event="${e.id}" locale="en-US" minutes="15" milestones style="--livepulse-font-size: 14px; height: 320px"></livepulse-chart>
        </div>`,
      );
      const el = wrap.firstElementChild as LivepulseChart;
      await waitFor(() => markerTexts(el).length === 3, 'the markers');
      await new Promise((r) => setTimeout(r, 300));
      const r = wrap.getBoundingClientRect();
      await executeServerCommand('screenshot', {
        name: `chart/milestones-${scheme}`,
        clip: { x: r.x, y: r.y, width: r.width, height: r.height },
      });
    });
  }

  it('labels the time axis in the viewer time zone', async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-GB"></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    const chart = (el as unknown as { chart: { options(): { localization: { timeFormatter(t: number): string } } } })
      .chart;
    const at = Date.UTC(2024, 5, 1, 12, 0) / 1000;
    const local = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(at * 1000);
    expect(chart.options().localization.timeFormatter(at)).to.equal(local);
  });

  it('dispatches livepulse-sample with the total', async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}"></livepulse-chart>`);
    const got: LivepulseSampleDetail[] = [];
    el.addEventListener('livepulse-sample', (ev) => got.push(ev.detail));
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    await e.sample({ s1: 3, s2: 4 });
    await waitFor(() => got.length === 1, 'the event');
    expect(got[0].value).to.equal(7);
  });

  it('follows its container size', async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseChart>(
      `<livepulse-chart event="${e.id}" style="width: 400px; height: 200px"></livepulse-chart>`,
    );
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    const canvasWidth = () =>
      Math.max(
        ...[...el.shadowRoot!.querySelectorAll('canvas')].map(
          (c) => c.getBoundingClientRect().right - el.getBoundingClientRect().left,
        ),
      );
    await waitFor(() => Math.abs(canvasWidth() - 400) < 2, '400 px wide');
    el.style.width = '640px';
    await waitFor(() => Math.abs(canvasWidth() - 640) < 2, 'resized to 640 px');
  });
});

describe('<livepulse-chart> windows, axes and states', () => {
  afterEach(() => unmountAll());
  const live = (el: Element) => waitFor(() => el.getAttribute('state') === 'live', `<${el.localName}> live`);
  const inner = (el: LivepulseChart) => (el as unknown as { chart: IChartApi }).chart;

  it('a 5-minute window in 1 s buckets, counts 10 s apart, draws its line: no gap between counts', async () => {
    const history = Array.from({ length: 30 }, (_, i) => 1000 + 10 * i);
    const e = await FakeEvent.create({ history, bucketSeconds: 1, stepSeconds: 10 });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" minutes="5"></livepulse-chart>`);
    await live(el);
    expect(values(series(el).total)).to.deep.equal(history);
    for (let i = 0; i < history.length; i++)
      expect(series(el).total.dataByIndex(i), `point ${i} draws its segment`).not.to.have.property('lineColor');
  });

  it('a 7-day window in 15-minute buckets draws its line', async () => {
    const history = Array.from({ length: 7 * 96 }, (_, i) => 5000 + Math.round(1000 * Math.sin(i / 20)));
    const e = await FakeEvent.create({ history, bucketSeconds: 900 });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" minutes="10080"></livepulse-chart>`);
    await live(el);
    expect(values(series(el).total)).to.deep.equal(history);
  });

  it('charts of 5, 15, 30 and 60 minutes on one page each show their own window, over one connection', async () => {
    const e = await FakeEvent.create({ history: Array.from({ length: 360 }, (_, i) => 2000 + i) });
    const host = mount(
      `<section>${[5, 15, 30, 60].map((m) => `<livepulse-chart event="${e.id}" minutes="${m}"></livepulse-chart>`).join('')}</section>`,
    );
    const charts = [...host.children] as LivepulseChart[];
    await Promise.all(charts.map(live));
    const counts = charts.map((c) => values(series(c).total).length);
    // 10 s apart, ending one interval ago: each window holds about minutes × 6 points.
    expect(
      counts.map((n, i) => Math.abs(n - [5, 15, 30, 60][i] * 6) <= 1),
      `points per window: ${counts.join(',')}`,
    ).to.deep.equal([true, true, true, true]);
    expect((await e.stats()).opened).to.equal(1);
  });

  it('a flat curve gets distinct value labels', async () => {
    const e = await FakeEvent.create({ history: Array(40).fill(6431) });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US"></livepulse-chart>`);
    await live(el);
    await waitFor(() => inner(el).priceScale('right').getVisibleRange(), 'a value range');
    const range = inner(el).priceScale('right').getVisibleRange()!;
    const format = inner(el).options().localization.priceFormatter as (price: number) => string;
    expect(range.to - range.from, `range ${range.from}..${range.to}`).to.be.at.least(10);
    expect(
      new Set([range.from, (range.from + range.to) / 2, range.to].map((v) => format(Math.round(v)))).size,
    ).to.equal(3);
  });

  it('never labels the value axis below 0 (its bottom margin under a line near 0)', async () => {
    const e = await FakeEvent.create({ history: [40, 900, 30, 1200] });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US"></livepulse-chart>`);
    await live(el);
    const format = inner(el).options().localization.priceFormatter as (price: number) => string;
    expect([format(-4000), format(-1), format(0), format(1200)]).to.deep.equal(['', '', '0', '1,200']);
  });

  it('with 11 stream lines: no value axis under 0, the total keeps its value label, only the biggest lines are named (at most 5, none under a tenth of the total)', async () => {
    const streams = Array.from({ length: 11 }, (_, i) => ({
      id: `s${i + 1}`,
      label: `Room ${i + 1}`,
      viewers: Math.round(40_000 / (i + 1)),
    }));
    const e = await FakeEvent.create({ streams, history: Array.from({ length: 40 }, (_, i) => 200 + 1500 * i) });
    const el = mount<LivepulseChart>(
      `<livepulse-chart event="${e.id}" streams locale="en-US" style="width: 800px; height: 320px"></livepulse-chart>`,
    );
    await live(el);
    const bottom = () => {
      const height = inner(el).paneSize().height;
      return height > 0 ? (series(el).total.coordinateToPrice(height) ?? undefined) : undefined;
    };
    await waitFor(() => bottom() !== undefined, 'a value range');
    // The value of the pane's last row of pixels: 0 at the lowest, give or take a pixel's worth.
    const height = inner(el).paneSize().height;
    const at = (y: number) => series(el).total.coordinateToPrice(y)!;
    const pixel = (at(0) - at(height - 1)) / height;
    expect(at(height - 1), `the bottom of the pane (a pixel is ${Math.round(pixel)})`).to.be.at.least(-pixel);
    const { lines, total } = series(el);
    await waitFor(() => lines.size === 11, '11 lines');
    expect(total.options().lastValueVisible, "the total's value label").to.equal(true);
    const named = () => [...lines].filter(([, line]) => line.options().title !== '').map(([id]) => id);
    // The history gives every line but the first the same share: five are named.
    expect(named(), 'lines named from the history').to.have.length(5);
    // Then their own counts (names are decided again on the next status, not on every sample).
    await e.sample(Object.fromEntries(streams.map((s) => [s.id, s.viewers])));
    await waitFor(() => values(lines.get('s11')!).at(-1) === streams[10].viewers, 'the sample drawn');
    await e.status();
    // The biggest, and none under a tenth of the total (their names fell off the pane's bottom edge).
    await waitFor(() => named().join() === 's1,s2,s3', `s1, s2 and s3 named (named: ${named().join()})`);
    await new Promise((r) => setTimeout(r, 200));
    await executeServerCommand('screenshot', { name: 'states/chart-11-streams' });
  });

  it('zero starts the value axis at 0, never below (no "-2,000" under it), also after a redraw', async () => {
    const e = await FakeEvent.create({ history: [6000, 6100, 5700, 6050] });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" zero></livepulse-chart>`);
    await live(el);
    // The value at the pane's bottom edge: the library adds its own margin under the range it is given.
    const bottom = () => {
      const height = inner(el).paneSize().height;
      return height > 0 ? (series(el).total.coordinateToPrice(height) ?? undefined) : undefined;
    };
    await waitFor(() => bottom() !== undefined, 'a value range');
    expect(bottom(), 'the bottom of the axis').to.be.within(-50, 0.5);
    el.minutes = 30;
    await waitFor(() => Math.abs(bottom() ?? -1e9) < 50, `0 after a redraw (is ${bottom()})`);
    el.zero = false;
    await waitFor(() => bottom()! > 1000, `the data's own range without zero (is ${bottom()})`);
  });

  it("the chart library's attribution link covers no data", async () => {
    const e = await FakeEvent.create({ history: Array.from({ length: 60 }, (_, i) => 3000 + 50 * i) });
    const el = mount<LivepulseChart>(
      `<livepulse-chart event="${e.id}" style="width: 640px; height: 300px"></livepulse-chart>`,
    );
    await live(el);
    const logo = await waitFor(
      () => el.shadowRoot!.querySelector<HTMLAnchorElement>('#tv-attr-logo'),
      'the attribution link',
    );
    expect(logo.href).to.match(/^https:\/\/www\.tradingview\.com\//);
    const pane = el.shadowRoot!.querySelector('td canvas')!.getBoundingClientRect();
    const box = logo.getBoundingClientRect();
    const overlaps = box.left < pane.right && box.right > pane.left && box.top < pane.bottom && box.bottom > pane.top;
    expect(overlaps, `logo ${JSON.stringify(box)} pane ${JSON.stringify(pane)}`).to.equal(false);
    const host = el.getBoundingClientRect();
    expect(box.right <= host.right && box.bottom <= host.bottom, 'inside the element').to.equal(true);
  });

  it("keeps 90 px right of the newest point free for the stream lines' labels; without lines, only what the peak's label needs", async () => {
    const e = await FakeEvent.create({ history: Array.from({ length: 60 }, (_, i) => 3000 + 50 * i) });
    const hump = await FakeEvent.create({
      history: Array.from({ length: 60 }, (_, i) => 3000 + 50 * Math.min(i, 60 - i)),
    });
    const style = 'style="width: 640px; height: 300px"';
    const lines = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" streams ${style}></livepulse-chart>`);
    const rising = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US" ${style}></livepulse-chart>`);
    const total = mount<LivepulseChart>(`<livepulse-chart event="${hump.id}" ${style}></livepulse-chart>`);
    await live(lines);
    await live(rising);
    await live(total);
    /** Pixels between the newest point and the right edge of the plot. */
    const room = (el: LivepulseChart) => {
      const scale = inner(el).timeScale();
      const newest = series(el).total.dataByIndex(10_000, -1)!.time;
      return scale.width() - scale.timeToCoordinate(newest)!;
    };
    await waitFor(() => room(lines) >= 85, `room for the labels (${room(lines)} px)`);
    expect(room(total)).to.be.below(15);
    // The peak on the newest point: half of "Peak 5,950" (centred on it) must not be cut by the value axis.
    expect(room(rising)).to.be.within(25, 60);
  });

  it("with nothing to draw, says so in the page's language, until the first count", async () => {
    const empty = (c: Element) => c.shadowRoot?.querySelector('[part="empty"]')?.textContent;
    const failing: FakeEventOptions['streams'] = [{ id: 's1', label: 'Main', viewers: null, status: 'error' }];
    const e = await FakeEvent.create({ history: [], streams: failing });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US"></livepulse-chart>`);
    await waitFor(() => empty(el) === 'No viewer counts yet', 'the empty message', 5000);
    expect(getComputedStyle(part(el, 'empty')).display).to.not.equal('none');
    const fr = mount<LivepulseChart>(`<div lang="fr"><livepulse-chart event="${e.id}"></livepulse-chart></div>`)
      .firstElementChild as LivepulseChart;
    await waitFor(() => empty(fr) === 'Aucun relevé de spectateurs pour l’instant', 'French', 5000);
    await e.sample({ s1: 120 });
    await waitFor(() => empty(el) === '', 'gone with the first count', 5000);
    expect(getComputedStyle(part(el, 'empty')).display).to.equal('none');
  });

  it('states: stale dims the curve and dates it; denied hides it, in one line', async () => {
    const e = await FakeEvent.create({ lastCountAgoSeconds: 600, history: [500, 600, 700] });
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-US"></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'stale', 'stale');
    expect(part(el, 'state').textContent).to.match(/^As of \d/);
    const other = await FakeEvent.create();
    const denied = mount<LivepulseChart>(`<livepulse-chart event="${other.id}" locale="fr-FR"></livepulse-chart>`);
    await live(denied);
    await other.status({ state: 'denied' });
    await waitFor(() => denied.getAttribute('state') === 'denied', 'denied');
    expect(part(denied, 'state').textContent).to.equal('Accès refusé : événement privé ou lien expiré');
    expect(getComputedStyle(part(denied, 'chart')).visibility).to.equal('hidden');
  });
});

describe('<livepulse-chart> pictures (test-output/states/chart-*.png)', () => {
  afterEach(() => unmountAll());
  const wave = (n: number, base = 9000) =>
    Array.from({ length: n }, (_, i) => Math.round(base + 0.2 * base * Math.sin(i / 12) + 10 * i));
  const cases: [string, FakeEventOptions, string][] = [
    ['chart-5min', { history: wave(30), bucketSeconds: 1, stepSeconds: 10 }, 'minutes="5"'],
    ['chart-7day', { history: wave(7 * 96, 40_000), bucketSeconds: 900 }, 'minutes="10080" streams'],
    ['chart-flat', { history: Array(60).fill(6431) }, 'minutes="10"'],
    ['chart-zero', { history: wave(60, 6000) }, 'minutes="10" zero'],
    ['chart-stale', { history: wave(60), lastCountAgoSeconds: 600 }, 'minutes="30"'],
    [
      'chart-empty',
      { history: [], streams: [{ id: 's1', label: 'Main', viewers: null, status: 'error' }] },
      'minutes="60"',
    ],
    [
      'chart-no-data',
      {
        history: wave(60),
        streams: [{ id: 's1', label: 'Main', viewers: null, status: 'quota_exceeded' }],
        resumesAt: new Date(Date.now() + 5 * 3600_000).toISOString(),
      },
      'minutes="30"',
    ],
  ];
  for (const [name, options, attrs] of cases) {
    it(name, async () => {
      await setViewport({ width: 1000, height: 700 });
      const e = await FakeEvent.create(options);
      const wrap = mount<HTMLElement>(
        `<div style="width: 800px; padding: 16px; background: #0b1020; color: #e2e8f0; font: 16px system-ui, sans-serif">
          <livepulse-chart event="${e.id}" locale="en-US" ${attrs} style="--livepulse-font-size: 14px; height: 320px"></livepulse-chart>
        </div>`,
      );
      const el = wrap.firstElementChild as LivepulseChart;
      await waitFor(() => el.getAttribute('state') !== 'connecting', 'a state');
      await new Promise((r) => setTimeout(r, 300));
      const r = wrap.getBoundingClientRect();
      await executeServerCommand('screenshot', {
        name: `states/${name}`,
        clip: { x: r.x, y: r.y, width: r.width, height: r.height },
      });
    });
  }
});
