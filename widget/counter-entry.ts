// The counter-only bundle (dist/widget/livepulse-counter.js): no chart library, for pages that show just the number.
import { define } from './define.ts';
import { LivepulseCounter } from './livepulse-counter.ts';

export { LivepulseCounter };

define('livepulse-counter', LivepulseCounter);
