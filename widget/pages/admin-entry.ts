// The admin page's bundle (dist/widget/pages/admin.js): the admin app and the elements it is made of.
import { define } from '../define.ts';
import { LivepulseAdmin } from './livepulse-admin.ts';
import { LivepulseEmbedSnippets } from './livepulse-embed-snippets.ts';
import { LivepulseEventEditor } from './livepulse-event-editor.ts';
import { LivepulseExportPanel } from './livepulse-export-panel.ts';
import { LivepulseQuotaGauge } from './livepulse-quota-gauge.ts';
import { LivepulseStreamRow } from './livepulse-stream-row.ts';
import { LivepulseWebhooksPanel } from './livepulse-webhooks-panel.ts';

define('livepulse-quota-gauge', LivepulseQuotaGauge);
define('livepulse-stream-row', LivepulseStreamRow);
define('livepulse-embed-snippets', LivepulseEmbedSnippets);
define('livepulse-export-panel', LivepulseExportPanel);
define('livepulse-webhooks-panel', LivepulseWebhooksPanel);
define('livepulse-event-editor', LivepulseEventEditor);
define('livepulse-admin', LivepulseAdmin);
