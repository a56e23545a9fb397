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

/** The pages' light theme (server/pages/shell.ts), so the pictures look like the served page. */
const LIGHT =
  'background: #f4f5f7; color: #1b1f24; font-family: system-ui, sans-serif; --lp-surface: #fff; --lp-text: #1b1f24; --lp-muted: #55606c; --lp-border: #d0d5dc; --lp-accent: #1d4ed8; --lp-on-accent: #fff';

const THREE = [
  { id: 's1', label: 'Main stage', viewers: 13_053 },
  { id: 's2', label: 'Workshop room B', viewers: 3257 },
  { id: 's3', label: 'Backstage', viewers: 779 },
];

async function page(e: FakeEvent, lang = 'en') {
  document.body.style.margin = '0';
  // The pages take their words from the document's language, as served.
  document.documentElement.lang = lang;
  const wrap = mount(
    `<div lang="${lang}" style="${LIGHT}"><livepulse-dashboard event="${e.id}" name="LivePulse demo (simulated streams)"></livepulse-dashboard></div>`,
  );
  const el = wrap.firstElementChild as HTMLElement;
  await waitFor(() => el.shadowRoot?.querySelectorAll('.streams li').length === 3, 'three cards', 5000);
  return el;
}

const shoot = async (name: string) => {
  await new Promise((r) => setTimeout(r, 300));
  await executeServerCommand('screenshot', { name: `dashboard/${name}` });
};

describe('<livepulse-dashboard> on a stage screen', () => {
  afterEach(() => {
    unmountAll();
    document.documentElement.lang = '';
  });

  for (const [width, height, lang] of [
    [1280, 720, 'fr'],
    [1280, 800, 'en'],
    [1920, 1080, 'en'],
  ] as const) {
    it(`fits ${width}×${height} without scrolling: the chart's time axis and the links are above the fold`, async () => {
      await setViewport({ width, height });
      const e = await FakeEvent.create({
        streams: THREE,
        history: Array.from({ length: 60 }, (_, i) => 17_000 + 20 * i),
      });
      const el = await page(e, lang);
      await waitFor(() => el.getAttribute('state') === 'live', 'live', 5000);
      const chart = el.shadowRoot!.querySelector('livepulse-chart')!;
      const footer = el.shadowRoot!.querySelector('footer')!;
      await shoot(`dashboard-${width}x${height}`);
      expect(chart.getBoundingClientRect().bottom, 'the chart').to.be.at.most(height);
      expect(footer.getBoundingClientRect().bottom, 'the links').to.be.at.most(height);
      expect(document.documentElement.scrollHeight, 'no scrolling').to.be.at.most(height);
      expect(chart.getBoundingClientRect().height, 'a chart worth the name').to.be.at.least(160);
    });
  }

  it('no key on every stream: the reason once, under the total; each card a quiet "No count"', async () => {
    await setViewport({ width: 1280, height: 800 });
    const noKey = THREE.map((s) => ({ ...s, viewers: null, status: 'no_api_key' as const }));
    const e = await FakeEvent.create({ streams: noKey });
    const el = await page(e);
    await waitFor(() => el.getAttribute('state') === 'no-data', 'no-data', 5000);
    const cards = () => [...el.shadowRoot!.querySelectorAll('.streams li .out')].map((o) => o.textContent);
    await waitFor(() => cards().length === 3, 'a word on every card', 5000);
    expect(cards()).to.deep.equal(['No count', 'No count', 'No count']);
    const total = el.shadowRoot!.querySelector('.total livepulse-counter')!;
    expect(part(total, 'state').textContent).to.equal('No YouTube API key configured');
  });

  it('a paused event: each card says Paused (quietly), none is an empty box', async () => {
    await setViewport({ width: 1280, height: 800 });
    const paused = THREE.map((s) => ({ ...s, viewers: null, status: 'paused' as const }));
    const e = await FakeEvent.create({
      streams: paused,
      history: Array.from({ length: 60 }, (_, i) => 17_000 + 20 * i),
    });
    const el = await page(e);
    await waitFor(() => el.getAttribute('state') === 'no-data', 'no-data', 5000);
    const words = () =>
      [...el.shadowRoot!.querySelectorAll('.streams li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim());
    await waitFor(() => words().every((w) => /Paused$/.test(w)), `Paused on every card (${words().join(' | ')})`, 5000);
    expect(words()).to.deep.equal(['Main stage Paused', 'Workshop room B Paused', 'Backstage Paused']);
    await shoot('dashboard-paused');
  });
});

const NAMES = ['Main stage', 'Workshop room B', 'Backstage', 'Hall 4 keynote overflow', 'Twitch co-stream', 'Room C'];
/** `n` streams, biggest first, with long labels and counts up to seven digits. */
const many = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `m${i + 1}`,
    label: `${NAMES[i % NAMES.length]}${i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : ''}`,
    viewers: Math.round(1_234_567 / (i + 1) ** 1.6),
  }));

/** Boxes that leave their card (clipped or spilling over a neighbour), as "label: what" lines. */
function outOfCard(el: HTMLElement): string[] {
  const found: string[] = [];
  for (const li of el.shadowRoot!.querySelectorAll<HTMLElement>('.streams li')) {
    const card = li.getBoundingClientRect();
    const name = li.querySelector('.caption')?.textContent?.trim() ?? '?';
    const value = li.querySelector('livepulse-counter')
      ? part(li.querySelector('livepulse-counter')!, 'value')
      : li.querySelector<HTMLElement>('.value');
    for (const [what, box] of [
      ['number', value?.getBoundingClientRect()],
      ['caption', li.querySelector('.caption')?.getBoundingClientRect()],
    ] as const) {
      if (!box || box.width === 0) continue;
      if (
        box.left < card.left - 0.5 ||
        box.right > card.right + 0.5 ||
        box.top < card.top - 0.5 ||
        box.bottom > card.bottom + 0.5
      )
        found.push(
          `${name}: ${what} ${Math.round(box.left)}–${Math.round(box.right)} × ${Math.round(box.top)}–${Math.round(box.bottom)} outside ${Math.round(card.left)}–${Math.round(card.right)} × ${Math.round(card.top)}–${Math.round(card.bottom)}`,
        );
    }
    if (li.scrollWidth > li.clientWidth + 1)
      found.push(`${name}: content ${li.scrollWidth} px wide in ${li.clientWidth}`);
  }
  return found;
}

describe('<livepulse-dashboard> with many streams on a 1280×720 stage screen', () => {
  afterEach(() => {
    unmountAll();
    document.documentElement.lang = '';
  });

  for (const n of [1, 2, 4, 8, 11, 16, 24]) {
    it(`${n} stream${n > 1 ? 's' : ''}: fits without scrolling, every number whole inside its card, every stream counted`, async () => {
      await setViewport({ width: 1280, height: 720 });
      const streams = many(n);
      const sum = streams.reduce((total, s) => total + s.viewers, 0);
      const e = await FakeEvent.create({
        streams,
        history: Array.from({ length: 60 }, (_, i) => Math.round(sum * (0.8 + 0.2 * Math.sin(i / 12)))),
      });
      document.body.style.margin = '0';
      const wrap = mount(
        `<div style="${LIGHT}"><livepulse-dashboard event="${e.id}" name="LivePulse demo (simulated streams)"></livepulse-dashboard></div>`,
      );
      const el = wrap.firstElementChild as HTMLElement;
      await waitFor(() => el.getAttribute('state') === 'live', 'live', 5000);
      // A tick with each stream's own count (the fake history gives them fixed shares), then a status.
      await e.sample(Object.fromEntries(streams.map((s) => [s.id, s.viewers])));
      await e.status();
      let cards = await waitFor(
        () => {
          const li = el.shadowRoot?.querySelectorAll('.streams li');
          return li?.length ? [...li] : null;
        },
        'the cards',
        5000,
      );
      // The list's rows are counted once drawn: wait for the count to settle.
      await new Promise((r) => setTimeout(r, 300));
      await shoot(`streams-${n}-1280x720`);
      cards = [...el.shadowRoot!.querySelectorAll('.streams li')];
      const more = el.shadowRoot!.querySelector('.streams li.more');
      const hidden = more ? Number(/\d+/.exec(more.querySelector('.caption')!.textContent)![0]) : 0;
      expect(cards.length - (more ? 1 : 0) + hidden, 'every stream is on a card or in "+N more"').to.equal(n);
      expect(document.documentElement.scrollHeight, 'no scrolling').to.be.at.most(720);
      const footer = el.shadowRoot!.querySelector('footer')!;
      expect(footer.getBoundingClientRect().bottom, 'the links').to.be.at.most(720);
      for (const li of cards) expect(li.getBoundingClientRect().bottom, 'a card below the fold').to.be.at.most(720);
      expect(outOfCard(el)).to.deep.equal([]);
      const chart = el.shadowRoot!.querySelector('livepulse-chart')!;
      expect(chart.getBoundingClientRect().height, 'a chart worth the name').to.be.at.least(160);
      const total = part(el.shadowRoot!.querySelector('.total livepulse-counter')!, 'value');
      expect(parseFloat(getComputedStyle(total).fontSize), 'a total read from the back of the room').to.be.at.least(64);
    });
  }

  it('11 streams in French, one without a count: its row says one quiet word inside the row, no scrolling', async () => {
    await setViewport({ width: 1280, height: 720 });
    const streams = many(11).map((s, i) => (i === 2 ? { ...s, viewers: null, status: 'no_api_key' as const } : s));
    const e = await FakeEvent.create({ streams, history: Array.from({ length: 60 }, (_, i) => 2_000_000 + 900 * i) });
    document.body.style.margin = '0';
    document.documentElement.lang = 'fr';
    const wrap = mount(
      `<div lang="fr" style="${LIGHT}"><livepulse-dashboard event="${e.id}" name="Festival (flux simulés)"></livepulse-dashboard></div>`,
    );
    const el = wrap.firstElementChild as HTMLElement;
    await waitFor(() => el.getAttribute('state') === 'live', 'live', 5000);
    await waitFor(() => el.shadowRoot?.querySelectorAll('.streams li').length, 'the rows', 5000);
    await new Promise((r) => setTimeout(r, 300));
    await shoot('streams-11-fr-one-without-count');
    const row = el.shadowRoot!.querySelectorAll<HTMLElement>('.streams li')[2];
    // One quiet word in place of the number; the reason itself is the admin's to read.
    const word = await waitFor(() => row.querySelector<HTMLElement>('.out'), 'a quiet word', 5000);
    expect(word.textContent).to.equal('Pas de compte');
    const box = word.getBoundingClientRect();
    const card = row.getBoundingClientRect();
    expect(box.right, 'the word inside its row').to.be.at.most(card.right + 0.5);
    expect(box.bottom, 'on one line').to.be.at.most(card.bottom + 0.5);
    const more = el.shadowRoot!.querySelector('.streams li.more .caption');
    if (more) expect(more.textContent).to.match(/^\+\d+ autres$/);
    expect(document.documentElement.scrollHeight, 'no scrolling').to.be.at.most(720);
    expect(outOfCard(el)).to.deep.equal([]);
  });
});
