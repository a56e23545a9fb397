// The full widget bundle (dist/widget/livepulse.js): every LivePulse element, registered once.
import { define } from './define.ts';
import { LivepulseChart } from './livepulse-chart.ts';
import { LivepulseCounter } from './livepulse-counter.ts';

export { LivepulseChart, LivepulseCounter };
export type { LivepulseSampleDetail, LivepulseStatusDetail } from './events.ts';

define('livepulse-counter', LivepulseCounter);
define('livepulse-chart', LivepulseChart);

declare global {
  interface HTMLElementTagNameMap {
    'livepulse-counter': LivepulseCounter;
    'livepulse-chart': LivepulseChart;
  }
}
