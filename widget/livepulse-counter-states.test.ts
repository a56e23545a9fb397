// <livepulse-counter> in every state it can be in on a stage screen: what it says, what it hides, and
// what it looks like (screenshots in test-output/states/).
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import './index.ts';
import type { LivepulseCounter } from './livepulse-counter.ts';
import { FakeEvent, mount, part, unmountAll, waitFor, type FakeEventOptions } from './testing/backend.ts';

const shown = (el: Element) => el.shadowRoot?.querySelector('[part="value"]')?.textContent?.trim() ?? '';
const line = (el: Element) => part(el, 'state').textContent ?? '';
const stateIs = (el: Element, state: string, timeoutMs?: number) =>
  waitFor(() => el.getAttribute('state') === state, `state ${state} (is ${el.getAttribute('state')})`, timeoutMs);
/** Everything a viewer can read in the element (the screen-reader region is not on screen). */
const visible = (el: Element) => `${shown(el)} | ${line(el)}`;

const noKey: FakeEventOptions['streams'] = [
  { id: 's1', label: 'Main stage', viewers: null, status: 'no_api_key' },
  { id: 's2', label: 'Backstage', viewers: null, status: 'no_api_key' },
];

/** A stage-sized counter on a dark page (or transparent, as OBS sees it), photographed. */
async function stage(e: FakeEvent, name: string, attrs = '', transparent = false) {
  const wrap = mount<HTMLElement>(
    `<div style="padding: 24px; width: 900px; ${transparent ? '' : 'background: #0b1020;'} color: #f8fafc; font: 28px system-ui, sans-serif">
      <livepulse-counter event="${e.id}" locale="en-US" ${attrs} style="--livepulse-font-size: 160px"></livepulse-counter>
    </div>`,
  );
  return {
    wrap,
    el: wrap.querySelector<LivepulseCounter>('livepulse-counter')!,
    shot: () => shoot(wrap, name, transparent),
  };
}

async function shoot(wrap: HTMLElement, name: string, transparent: boolean) {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const r = wrap.getBoundingClientRect();
  await executeServerCommand('screenshot', {
    name: `states/${name}`,
    transparent,
    clip: { x: r.x, y: r.y, width: r.width, height: r.height },
  });
}

describe('<livepulse-counter> states', () => {
  before(() => setViewport({ width: 1000, height: 700 }));
  beforeEach(() => emulateMedia({ reducedMotion: 'reduce' }));
  afterEach(() => unmountAll());

  it('live: the number alone, no state line', async () => {
    const e = await FakeEvent.create();
    const { el, shot } = await stage(e, 'counter-live');
    await stateIs(el, 'live');
    await waitFor(() => shown(el) === '1,000', 'the number');
    expect(line(el)).to.equal('');
    await shot();
  });

  it('a count frozen five minutes ago is stale at once, dated, dimmed: never "now"', async () => {
    const e = await FakeEvent.create({ lastCountAgoSeconds: 300 });
    const { el, shot } = await stage(e, 'counter-stale');
    await waitFor(() => shown(el) === '1,000', 'the last number');
    await stateIs(el, 'stale');
    const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' }).format(Date.now() - 300_000);
    expect(line(el)).to.equal(`As of ${time}`);
    expect(getComputedStyle(part(el, 'value')).opacity).to.equal('0.5');
    expect(visible(el).split('As of').length - 1, `the age is written once: ${visible(el)}`).to.equal(1);
    await shot();
  });

  it('a stream that could not be read: the total stays the old one, stale; a fresh Twitch count is not the total', async () => {
    // The server stores no total for a tick with an unread stream (a gap): the Twitch count alone, fresh in
    // the status, read as the event's live total (21,002 → 2,610).
    const e = await FakeEvent.create({
      lastCountAgoSeconds: 300,
      history: [21_002],
      streams: [
        { id: 'yt', label: 'Main hall', viewers: null, status: 'error' },
        { id: 'tw', label: 'Twitch', viewers: 2_610, platform: 'twitch', login: 'side', videoId: null },
      ],
    });
    const fresh = new Date().toISOString();
    await e.status({ streams: e.statusMessage().streams.map((s) => (s.id === 'tw' ? { ...s, updatedAt: fresh } : s)) });
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" locale="en-US"></livepulse-counter>`);
    await stateIs(el, 'stale');
    await waitFor(() => shown(el) === '21,002', `the last total (shows ${visible(el)})`);
    expect(line(el)).to.match(/^As of \d/);
  });

  it('offline: the last number dimmed with its age, written once, then live again', async () => {
    const e = await FakeEvent.create();
    const { el, shot } = await stage(e, 'counter-offline');
    await stateIs(el, 'live');
    await e.setMode('down');
    await stateIs(el, 'offline', 8000);
    expect(shown(el)).to.equal('1,000');
    expect(line(el)).to.match(/^Offline, reconnecting · As of \d/);
    expect(visible(el).split('As of').length - 1).to.equal(1);
    await shot();
    await e.setMode('ok');
    await e.sample({ s1: 1, s2: 2 });
    await stateIs(el, 'live', 10_000);
  });

  it('no API key: no-data with the reason words, on the total and on one stream, never "Count hidden"', async () => {
    const e = await FakeEvent.create({ streams: noKey, lastCountAgoSeconds: 600 });
    const { el, shot } = await stage(e, 'counter-no-data-no-key');
    const one = mount<LivepulseCounter>(
      `<livepulse-counter event="${e.id}" stream="s1" locale="en-US"></livepulse-counter>`,
    );
    await stateIs(el, 'no-data');
    await stateIs(one, 'no-data');
    for (const c of [el, one]) {
      expect(line(c)).to.equal('No YouTube API key configured');
      expect(shown(c), 'no number stays up as if it were now').to.equal('');
    }
    await shot();
  });

  it('one stream with no count yet (pending, failing) beside a live one: no-data with its reason, never live with "–"', async () => {
    const e = await FakeEvent.create({
      streams: [
        { id: 's1', label: 'Main stage', viewers: 700 },
        { id: 's2', label: 'youtube.com/@channel', viewers: null, status: 'pending', follows: true, videoId: null },
      ],
    });
    const { el, shot } = await stage(e, 'counter-no-data-pending-stream', 'stream="s2"');
    const fr = mount<LivepulseCounter>(
      `<livepulse-counter event="${e.id}" stream="s2" locale="fr"></livepulse-counter>`,
    );
    await stateIs(el, 'no-data');
    expect(line(el)).to.equal('Waiting for a first count');
    expect(shown(el)).to.equal('');
    await stateIs(fr, 'no-data');
    expect(line(fr)).to.equal('En attente d’un premier relevé');
    await shot();
    // Its calls fail before it ever counted: YouTube is not answering, still no number.
    await e.status({ streams: e.statusMessage().streams.map((s) => (s.id === 's2' ? { ...s, status: 'error' } : s)) });
    await waitFor(() => line(el) === 'YouTube is not answering', 'the error reason');
    expect(el.getAttribute('state')).to.equal('no-data');
    // Counted once, then failing: the number stays, stale (dimmed), while the other stream is live.
    await e.sample({ s1: 710, s2: 42 });
    await waitFor(() => el.getAttribute('state') === 'stale' && shown(el) === '42', 'stale with its last count');
  });

  it('quota spent: says until when, in the viewer time', async () => {
    const resumesAt = new Date(Date.now() + 3 * 3600_000).toISOString();
    const e = await FakeEvent.create({
      streams: [{ id: 's1', label: 'A', viewers: null, status: 'quota_exceeded' }],
      resumesAt,
    });
    const { el, shot } = await stage(e, 'counter-no-data-quota', 'lang="fr"');
    el.locale = 'fr-FR';
    await stateIs(el, 'no-data');
    const time = new Intl.DateTimeFormat('fr-FR', { hour: 'numeric', minute: '2-digit' }).format(Date.parse(resumesAt));
    await waitFor(() => line(el) === `Quota YouTube épuisé jusqu’à ${time}`, 'the French reason');
    await shot();
  });

  it('every stream hidden by its owner, paused, ended: each its own reason', async () => {
    const cases: [FakeEventOptions['streams'], string][] = [
      [[{ id: 's1', label: 'A', viewers: null, status: 'live_hidden' }], 'Count hidden by the channel'],
      [[{ id: 's1', label: 'A', viewers: null, status: 'paused' }], 'Paused'],
      [[{ id: 's1', label: 'A', viewers: null, status: 'ended' }], 'Stream ended'],
    ];
    for (const [streams, words] of cases) {
      const e = await FakeEvent.create({ streams });
      const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" locale="en-US"></livepulse-counter>`);
      await stateIs(el, 'no-data');
      expect(line(el)).to.equal(words);
    }
  });

  it('the stream attribute takes the YouTube video id', async () => {
    const e = await FakeEvent.create({
      streams: [
        { id: 's1', label: 'A', viewers: 700 },
        { id: 's2', label: 'B', viewers: 300, videoId: 'dQw4w9WgXcQ' },
      ],
    });
    const el = mount<LivepulseCounter>(
      `<livepulse-counter event="${e.id}" stream="dQw4w9WgXcQ" locale="en-US"></livepulse-counter>`,
    );
    await waitFor(() => shown(el) === '300', 'stream s2 by its video id');
    expect(el.getAttribute('state')).to.equal('live');
    await e.sample({ s1: 5000, s2: 4321 });
    await waitFor(() => shown(el) === '4,321', 'its sample');
  });

  it('an unknown stream is not-found, one short line, not "Count hidden"', async () => {
    const e = await FakeEvent.create();
    const { el, shot } = await stage(e, 'counter-not-found-stream', 'stream="nope"');
    await stateIs(el, 'not-found');
    expect(line(el)).to.equal('Stream not found');
    expect(shown(el)).to.equal('');
    await shot();
  });

  it('made private while open: denied, in a normal-size line, and it stops retrying', async () => {
    const e = await FakeEvent.create();
    const { el, wrap, shot } = await stage(e, 'counter-denied');
    await stateIs(el, 'live');
    await e.status({ state: 'denied' });
    await stateIs(el, 'denied');
    expect(line(el)).to.equal('Access denied: private event or expired link');
    expect(shown(el)).to.equal('');
    expect(parseFloat(getComputedStyle(part(el, 'state')).fontSize), 'not the giant font').to.equal(
      parseFloat(getComputedStyle(wrap).fontSize),
    );
    await shot();
    await new Promise((r) => setTimeout(r, 1500));
    const stats = await e.stats();
    expect(stats.opened, 'no reconnection after a final refusal').to.equal(1);
    expect(el.getAttribute('state')).to.equal('denied');
  });

  it('deleted while open: not-found, and it stops retrying', async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" locale="fr-FR"></livepulse-counter>`);
    await stateIs(el, 'live');
    await e.status({ state: 'not_found' });
    await stateIs(el, 'not-found');
    expect(line(el)).to.equal('Événement introuvable');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await e.stats()).opened).to.equal(1);
  });

  it('a token refused on connect is denied for good: no periodic re-check', async () => {
    const e = await FakeEvent.create({ token: 'right' });
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" token="wrong"></livepulse-counter>`);
    await stateIs(el, 'denied');
    const opened = (await e.stats()).opened;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await e.stats()).opened).to.equal(opened);
  });

  it('another language: its own number and time formats, English words', async () => {
    const e = await FakeEvent.create({ lastCountAgoSeconds: 300 });
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}"></livepulse-counter>`, { lang: 'de-DE' });
    await stateIs(el, 'stale');
    await waitFor(() => shown(el) === new Intl.NumberFormat('de-DE').format(1000), 'German grouping');
    const time = new Intl.DateTimeFormat('de-DE', { hour: 'numeric', minute: '2-digit' }).format(Date.now() - 300_000);
    expect(line(el)).to.equal(`As of ${time}`);
  });

  it('on a transparent background (OBS), stale and no-data stay legible', async () => {
    const stale = await FakeEvent.create({ lastCountAgoSeconds: 300 });
    const a = await stage(stale, 'counter-stale-transparent', '', true);
    await stateIs(a.el, 'stale');
    await a.shot();
  });
});
