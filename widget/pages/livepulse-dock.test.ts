import { expect } from 'chai';
import { FakeEvent, mount, unmountAll, waitFor } from '../testing/backend.ts';
import './dock-entry.ts';

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
