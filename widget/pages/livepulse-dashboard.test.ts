import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { ISeriesApi } from 'lightweight-charts';
import { THEME } from '../../server/pages/shell.ts';
import type { LivepulseChart } from '../livepulse-chart.ts';
import { FakeEvent, mount, part, unmountAll, waitFor } from '../testing/backend.ts';
import './view-entry.ts';

const MIXED = [
  { id: 'yt', label: 'Main stage', viewers: 700 },
  { id: 'tw', label: 'Twitch co-stream', viewers: 300, platform: 'twitch' as const, login: 'confco', videoId: null },
];

describe('<livepulse-dashboard> with YouTube and Twitch', () => {
  afterEach(() => unmountAll());

  it('marks each card with its platform, named for screen readers, and totals both platforms', async () => {
    const e = await FakeEvent.create({ streams: MIXED });
    const el = mount(`<livepulse-dashboard event="${e.id}"></livepulse-dashboard>`);
    const cards = await waitFor(() => {
      const li = el.shadowRoot?.querySelectorAll('.streams li');
      return li?.length === 2 && [...li];
    }, 'two stream cards');
    const marks = cards.map((li) => li.querySelector('svg.platform'));
    expect(marks.map((m) => m?.getAttribute('role'))).to.deep.equal(['img', 'img']);
    expect(marks.map((m) => m?.getAttribute('aria-label'))).to.deep.equal(['YouTube', 'Twitch']);
    expect(cards.map((li) => li.querySelector('.caption')!.textContent.trim())).to.deep.equal([
      'Main stage',
      'Twitch co-stream',
    ]);
    await e.sample({ yt: 1200, tw: 345 });
    const total = el.shadowRoot!.querySelector('.total livepulse-counter')!;
    await waitFor(() => part(total, 'value').textContent === '1,545', 'the total of both platforms', 5000);
  });
});

const bars = (chart: LivepulseChart) =>
  (chart as unknown as { chatBars: ISeriesApi<'Histogram'> | null }).chatBars?.data().length ?? 0;

describe('<livepulse-dashboard> chat activity', () => {
  afterEach(() => unmountAll());

  it('the "Chat activity" toggle draws the chat bars on the chart and takes them away (screenshot with chat on)', async () => {
    await setViewport({ width: 1280, height: 900 });
    const style = document.createElement('style');
    style.textContent = THEME;
    document.head.append(style);
    try {
      const wave = Array.from({ length: 90 }, (_, i) => Math.round(6000 + 4000 * Math.sin((i / 89) * Math.PI)));
      const chat = Array.from({ length: 14 }, (_, i) =>
        Math.round(40 + 90 * Math.sin((i / 13) * Math.PI) + (i % 3) * 7),
      );
      const e = await FakeEvent.create({ history: wave, chat });
      await e.setMilestones([
        { kind: 'threshold', value: 10000, ts: new Date(Date.parse(e.updatedAt) - 44 * 10_000).toISOString() },
      ]);
      const el = mount<HTMLElement>(`<livepulse-dashboard event="${e.id}" name="Summit 2026"></livepulse-dashboard>`);
      const chart = await waitFor(
        () => el.shadowRoot?.querySelector<LivepulseChart>('livepulse-chart[state="live"]'),
        'the live chart',
      );
      const toggle = el.shadowRoot!.querySelector<HTMLButtonElement>('.chat-toggle')!;
      expect(toggle.textContent.trim()).to.equal('Chat activity');
      expect(toggle.getAttribute('aria-pressed')).to.equal('false');
      expect(bars(chart)).to.equal(0);
      toggle.click();
      await waitFor(() => bars(chart) === 14, 'the chat bars');
      expect(toggle.getAttribute('aria-pressed')).to.equal('true');
      await new Promise((r) => setTimeout(r, 300));
      await executeServerCommand('screenshot', { name: 'pages/dashboard-chat' });
      toggle.click();
      await waitFor(() => bars(chart) === 0, 'the bars gone');
    } finally {
      style.remove();
    }
  });
});
