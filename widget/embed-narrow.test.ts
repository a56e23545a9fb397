// The counter and chart embedded in a narrow column (an event site's sidebar, 320 px wide), with 1, 11 and 24
// streams: every number whole inside the column, the chart's value axis never under 0 (test-output/embed/).
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { IChartApi, ISeriesApi } from 'lightweight-charts';
import './index.ts';
import type { LivepulseChart } from './livepulse-chart.ts';
import { FakeEvent, mount, part, unmountAll, waitFor } from './testing/backend.ts';

const streams = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `s${i + 1}`,
    label: `Room ${i + 1}`,
    viewers: Math.round(1_234_567 / (i + 1) ** 1.3),
  }));

describe('embedded in a 320 px column', () => {
  beforeEach(() => emulateMedia({ reducedMotion: 'reduce' }));
  afterEach(() => unmountAll());

  for (const n of [1, 11, 24]) {
    it(`${n} stream${n > 1 ? 's' : ''}: the total whole inside the column, the chart's axis from 0`, async () => {
      await setViewport({ width: 320, height: 640 });
      document.body.style.margin = '0';
      const list = streams(n);
      const sum = list.reduce((t, s) => t + s.viewers, 0);
      const e = await FakeEvent.create({
        streams: list,
        history: Array.from({ length: 40 }, (_, i) => Math.round(sum * (0.3 + (0.7 * i) / 39))),
      });
      const column = mount<HTMLElement>(
        `<div lang="fr" style="width: 320px; box-sizing: border-box; padding: 12px; background: #fff; color: #1b1f24; font-family: system-ui, sans-serif">
          <livepulse-counter event="${e.id}" style="--livepulse-font-size: 4.5rem; --livepulse-font-weight: 800"></livepulse-counter>
          <livepulse-chart event="${e.id}" streams style="height: 260px"></livepulse-chart>
        </div>`,
      );
      const counter = column.querySelector('livepulse-counter')!;
      const chart = column.querySelector<LivepulseChart>('livepulse-chart')!;
      await waitFor(() => chart.getAttribute('state') === 'live' && counter.getAttribute('state') === 'live', 'live');
      // A tick with each stream's own count (the fake history gives them fixed shares), then a status.
      await e.sample(Object.fromEntries(list.map((s) => [s.id, s.viewers])));
      await e.status();
      const inner = chart as unknown as { chart: IChartApi; total: ISeriesApi<'Area'> };
      const height = () => inner.chart.paneSize().height;
      await waitFor(() => height() > 0 && inner.total.coordinateToPrice(height() - 1) !== null, 'a value range');
      const value = part(counter, 'value');
      const right = column.getBoundingClientRect().right - 12;
      await waitFor(
        () => value.getBoundingClientRect().right <= right + 0.5,
        `the total inside the column (right edge ${value.getBoundingClientRect().right}, column ${right})`,
        2000,
      );
      const at = (y: number) => inner.total.coordinateToPrice(y)!;
      const pixel = (at(0) - at(height() - 1)) / height();
      expect(at(height() - 1), 'the bottom of the pane').to.be.at.least(-pixel);
      await new Promise((r) => setTimeout(r, 200));
      const box = column.getBoundingClientRect();
      await executeServerCommand('screenshot', {
        name: `embed/embed-320-${n}-streams`,
        clip: { x: 0, y: 0, width: 320, height: Math.ceil(box.height) },
      });
    });
  }
});
