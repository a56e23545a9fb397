import { expect } from 'chai';
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
