import { expect } from 'chai';
import type { ISeriesApi } from 'lightweight-charts';
import type { LivepulseSampleDetail } from './events.ts';
import './index.ts';
import type { LivepulseChart } from './livepulse-chart.ts';
import { FakeEvent, mount, part, unmountAll, waitFor } from './testing/backend.ts';

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
  for (let i = 0; i < (length ?? 100); i++) {
    const p = s.dataByIndex(i);
    out.push(p && 'value' in p ? p.value : null);
  }
  while (length === undefined && out.length && out.at(-1) === null) out.pop();
  return out;
}

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
    expect(series(el).total.dataByIndex(2)).to.include({ value: 600, lineColor: 'rgba(0, 0, 0, 0)', topColor: 'rgba(0, 0, 0, 0)' });
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
    expect(series(el).total.priceLines().map((l) => [l.options().price, l.options().title])).to.deep.equal([[4200, 'Peak']]);
  });

  it('labels the time axis in the viewer time zone', async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" locale="en-GB"></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    const chart = (el as unknown as { chart: { options(): { localization: { timeFormatter(t: number): string } } } }).chart;
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
    const el = mount<LivepulseChart>(`<livepulse-chart event="${e.id}" style="width: 400px; height: 200px"></livepulse-chart>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    const canvasWidth = () => Math.max(...[...el.shadowRoot!.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect().right - el.getBoundingClientRect().left));
    await waitFor(() => Math.abs(canvasWidth() - 400) < 2, '400 px wide');
    el.style.width = '640px';
    await waitFor(() => Math.abs(canvasWidth() - 640) < 2, 'resized to 640 px');
  });
});
