// The OBS dock's bundle (dist/widget/pages/dock.js): the dock and the counter it is built from; no chart
// library, so a dock that reloads with every OBS start loads little.
import { define } from '../define.ts';
import { LivepulseCounter } from '../livepulse-counter.ts';
import { LivepulseDock } from './livepulse-dock.ts';

define('livepulse-counter', LivepulseCounter);
define('livepulse-dock', LivepulseDock);
