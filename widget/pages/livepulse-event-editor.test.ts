import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import { define } from '../define.ts';
import { FakeEvent, mount, unmountAll, waitFor } from '../testing/backend.ts';
import { LivepulseEventEditor } from './livepulse-event-editor.ts';
import { LivepulseStreamRow } from './livepulse-stream-row.ts';

define('livepulse-event-editor', LivepulseEventEditor);
define('livepulse-stream-row', LivepulseStreamRow);

describe('<livepulse-event-editor> during an outage', () => {
  afterEach(() => unmountAll());

  it('dims the total and every row, says "As of …" and "Last known: Live", and is itself again once back', async () => {
    await setViewport({ width: 1280, height: 900 });
    const e = await FakeEvent.create();
    const el = mount<LivepulseEventEditor>(`<livepulse-event-editor event-id="${e.id}"></livepulse-event-editor>`);
    const root = () => el.shadowRoot!;
    const rows = () => [...root().querySelectorAll<LivepulseStreamRow>('livepulse-stream-row')];
    const statuses = () => rows().map((r) => r.shadowRoot!.querySelector('.status')?.textContent?.trim() ?? '');
    const total = () => root().querySelector('.total')!;
    await e.sample({ s1: 700, s2: 300 });
    await waitFor(() => rows().length === 2 && statuses().every((s) => s === 'Live'), 'two live rows', 8000);
    expect(total().classList.contains('old')).to.equal(false);
    expect(total().querySelector('.as-of')!.textContent).to.equal('');

    await e.setMode('down');
    await waitFor(() => total().classList.contains('old'), 'the total dimmed', 8000);
    await Promise.all(rows().map((r) => r.updateComplete));
    expect(total().querySelector('.muted')!.textContent).to.equal('Viewers, last known');
    expect(total().querySelector('.as-of')!.textContent).to.match(/^Offline, reconnecting · As of /);
    expect(statuses()).to.deep.equal(['Last known: Live', 'Last known: Live']);
    for (const r of rows()) {
      expect(r.shadowRoot!.querySelector('.status')!.getAttribute('data-tone'), 'no green dot').to.equal('quiet');
      expect(r.shadowRoot!.querySelector('.viewers')!.classList.contains('old')).to.equal(true);
    }
    await executeServerCommand('screenshot', { name: 'admin/editor-offline' });

    await e.setMode('ok');
    await e.sample({ s1: 710, s2: 290 });
    await waitFor(() => !total().classList.contains('old'), 'the total live again', 10_000);
    await Promise.all(rows().map((r) => r.updateComplete));
    expect(statuses()).to.deep.equal(['Live', 'Live']);
    expect(total().querySelector('.muted')!.textContent).to.equal('Viewers now');
  });

  it('late with the connection up: the total says "As of …" and a "Live" is last known', async () => {
    const e = await FakeEvent.create({ lastCountAgoSeconds: 600 });
    const el = mount<LivepulseEventEditor>(`<livepulse-event-editor event-id="${e.id}"></livepulse-event-editor>`);
    const rows = () => [...el.shadowRoot!.querySelectorAll<LivepulseStreamRow>('livepulse-stream-row')];
    await waitFor(() => rows().length === 2 && el.shadowRoot!.querySelector('.total.old') !== null, 'late', 8000);
    await Promise.all(rows().map((r) => r.updateComplete));
    expect(el.shadowRoot!.querySelector('.as-of')!.textContent).to.match(/^As of /);
    expect(rows().map((r) => r.shadowRoot!.querySelector('.status')!.textContent.trim())).to.deep.equal([
      'Last known: Live',
      'Last known: Live',
    ]);
  });
});
