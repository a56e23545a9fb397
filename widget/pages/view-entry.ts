// The bundle of the read-only pages (dist/widget/pages/view.js): dashboard, OBS overlay and post-event report, with the
// counter and chart elements they are built from.
import { define } from '../define.ts';
import '../index.ts';
import { LivepulseDashboard } from './livepulse-dashboard.ts';
import { LivepulseOverlay } from './livepulse-overlay.ts';
import { LivepulseReport } from './livepulse-report.ts';
import { LivepulseReportChart } from './report-chart.ts';

define('livepulse-dashboard', LivepulseDashboard);
define('livepulse-overlay', LivepulseOverlay);
define('livepulse-report', LivepulseReport);
define('livepulse-report-chart', LivepulseReportChart);
