import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { ISeriesApi } from 'lightweight-charts';
import { THEME } from '../../server/pages/shell.ts';
import type { LivepulseChart } from '../livepulse-chart.ts';
import { FakeEvent, mount, unmountAll, waitFor } from '../testing/backend.ts';
import './view-entry.ts';

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
