import { expect } from 'chai';
import type { ISeriesApi } from 'lightweight-charts';
import { define } from '../define.ts';
import { FakeEvent, mount, unmountAll, waitFor } from '../testing/backend.ts';
import { LivepulseReportChart } from './report-chart.ts';

define('livepulse-report-chart', LivepulseReportChart);

const totals = (el: LivepulseReportChart) => {
  const total = (el as unknown as { total: ISeriesApi<'Area'> | null }).total;
  return total?.data().map((p) => ('value' in p ? p.value : null)) ?? [];
};

describe('<livepulse-report-chart>', () => {
  afterEach(() => unmountAll());

  it('draws the window up to `until` and none of the samples that come later: the peak stays the report’s', async () => {
    // Points 10 s apart ending 10 s ago: 800 (40 s ago) … 1000 (10 s ago); the report was taken 25 s ago.
    const e = await FakeEvent.create({ history: [800, 900, 1000, 1100] });
    const until = new Date(Date.now() - 25_000).toISOString();
    const el = mount<LivepulseReportChart>(
      `<livepulse-report-chart event="${e.id}" until="${until}" streams></livepulse-report-chart>`,
    );
    await waitFor(() => totals(el).length > 0, 'the history drawn', 8000);
    expect(totals(el)).to.deep.equal([800, 900]);
    // The sample reaches the element (its event fires) and is left out of the curve.
    const arrived = new Promise<void>((resolve) =>
      el.addEventListener('livepulse-sample', () => resolve(), { once: true }),
    );
    await e.sample({ s1: 20_000, s2: 5_000 });
    await arrived;
    expect(totals(el)).to.deep.equal([800, 900]);
    expect(el.shadowRoot!.querySelector('[part~="base"]')!.getAttribute('aria-label')).to.match(/peak 900\b/);
  });
});
