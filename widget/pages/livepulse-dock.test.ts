import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import { FakeEvent, mount, unmountAll, waitFor } from '../testing/backend.ts';
import './dock-entry.ts';
import type { LivepulseDock } from './livepulse-dock.ts';

describe('<livepulse-dock> with YouTube and Twitch', () => {
  afterEach(() => unmountAll());

  it('marks each stream with its platform and says a channel with nothing live is offline, calmly', async () => {
    const e = await FakeEvent.create({
      streams: [
        { id: 'yt', label: 'Main stage', viewers: 700 },
        {
          id: 'tw',
          label: 'Co-stream',
          viewers: null,
          status: 'offline',
          platform: 'twitch',
          login: 'co',
          videoId: null,
        },
      ],
    });
    const el = mount(`<livepulse-dock event="${e.id}"></livepulse-dock>`);
    const rows = await waitFor(() => {
      const li = el.shadowRoot?.querySelectorAll('li');
      return li?.length === 2 && [...li];
    }, 'two stream rows');
    expect(rows.map((li) => li.querySelector('.label svg.platform')?.getAttribute('aria-label'))).to.deep.equal([
      'YouTube',
      'Twitch',
    ]);
    const offline = rows[1].querySelector('.status')!;
    expect(offline.textContent).to.equal('Channel offline — will follow its next live');
    expect(offline.className).to.not.match(/\bbad\b/);
  });
});

/** The dock's dark theme (server/pages/shell.ts), for screenshots that look like OBS shows them. */
const DARK =
  'background: #0f1217; color: #e7e9ec; font-family: system-ui, sans-serif; width: 300px; --lp-text: #e7e9ec; --lp-surface: #181c23; --lp-bg: #0f1217; --lp-muted: #a3acb8; --lp-border: #343b46; --lp-ok: #6fdc8c; --lp-warn: #ffd27a; --lp-danger: #ff8a80';

describe('<livepulse-dock> while late or offline', () => {
  afterEach(() => unmountAll());

  it('no row claims "Live" while the header says Offline: each says its last known status, dimmed', async () => {
    await setViewport({ width: 400, height: 600 });
    const e = await FakeEvent.create();
    const wrap = mount(`<div style="${DARK}"><livepulse-dock event="${e.id}"></livepulse-dock></div>`);
    const el = wrap.querySelector<LivepulseDock>('livepulse-dock')!;
    const statuses = () => [...(el.shadowRoot?.querySelectorAll('li .status') ?? [])];
    await waitFor(() => el.getAttribute('state') === 'live' && statuses().length === 2, 'live with two rows', 5000);
    expect(statuses().map((s) => s.textContent)).to.deep.equal(['Live', 'Live']);
    expect(statuses().every((s) => s.classList.contains('ok'))).to.equal(true);
    await e.setMode('down');
    await waitFor(() => el.getAttribute('state') === 'offline', 'offline', 8000);
    await el.updateComplete;
    expect(statuses().map((s) => s.textContent)).to.deep.equal(['Last known: Live', 'Last known: Live']);
    expect(
      statuses().some((s) => s.classList.contains('ok')),
      'no green dot',
    ).to.equal(false);
    const r = wrap.getBoundingClientRect();
    await executeServerCommand('screenshot', {
      name: 'dock/dock-offline',
      clip: { x: r.x, y: r.y, width: r.width, height: r.height },
    });
    await e.setMode('ok');
    await e.sample({ s1: 710, s2: 290 });
    await waitFor(() => el.getAttribute('state') === 'live', 'live again', 10_000);
    await el.updateComplete;
    expect(statuses().map((s) => s.textContent)).to.deep.equal(['Live', 'Live']);
  });

  it('late with the connection up: a "Live" is last known, a fresh failure is said as it is', async () => {
    const e = await FakeEvent.create({
      lastCountAgoSeconds: 600,
      streams: [
        { id: 's1', label: 'Main stage', viewers: 700 },
        { id: 's2', label: 'Backstage', viewers: null, status: 'error' },
      ],
    });
    const el = mount<LivepulseDock>(`<livepulse-dock event="${e.id}"></livepulse-dock>`);
    const statuses = () => [...(el.shadowRoot?.querySelectorAll('li .status') ?? [])].map((s) => s.textContent ?? '');
    await waitFor(() => el.getAttribute('state') === 'stale' && statuses().length === 2, 'stale with two rows', 5000);
    await el.updateComplete;
    expect(statuses()[0]).to.equal('Last known: Live');
    expect(statuses()[1])
      .to.not.match(/^Last known/)
      .and.not.equal('');
  });
});
