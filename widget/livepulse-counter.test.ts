import { emulateMedia } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { LivepulseSampleDetail, LivepulseStatusDetail } from './events.ts';
import './index.ts';
import type { LivepulseCounter } from './livepulse-counter.ts';
import { FakeEvent, mount, part, unmountAll, waitFor } from './testing/backend.ts';

const shown = (el: Element) => el.shadowRoot?.querySelector('[part="value"]')?.textContent?.trim() ?? '';
const connected = (el: Element) => waitFor(() => el.getAttribute('state') === 'live', `<${el.localName}> live`);
const fmt = (locale: string, n: number, options?: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat(locale, options).format(n);

describe('<livepulse-counter>', () => {
  beforeEach(() => emulateMedia({ reducedMotion: 'reduce' }));
  afterEach(() => unmountAll());

  it('shows the total as soon as it connects, then each new sample', async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" locale="en-US"></livepulse-counter>`);
    await waitFor(() => shown(el) === '1,000', 'the status total 700 + 300');
    expect(el.getAttribute('state')).to.equal('live');
    await e.sample({ s1: 1200, s2: 34 });
    await waitFor(() => shown(el) === '1,234', 'the new sample');
  });

  it("shows one stream's count with the stream attribute", async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseCounter>(
      `<livepulse-counter event="${e.id}" stream="s2" locale="en-US"></livepulse-counter>`,
    );
    await waitFor(() => shown(el) === '300', 'stream s2 from the status');
    await e.sample({ s1: 5000, s2: 4321 });
    await waitFor(() => shown(el) === '4,321', 'stream s2 from the sample');
  });

  for (const locale of ['fr-CA', 'en-US']) {
    it(`formats ${locale} like Intl.NumberFormat, in full and compact`, async () => {
      const e = await FakeEvent.create();
      const full = mount<LivepulseCounter>(
        `<livepulse-counter event="${e.id}" locale="${locale}"></livepulse-counter>`,
      );
      const compact = mount<LivepulseCounter>(
        `<livepulse-counter event="${e.id}" locale="${locale}" compact></livepulse-counter>`,
      );
      await connected(full);
      await e.sample({ s1: 1_234_567, s2: 12_345 });
      const expected = fmt(locale, 1_246_912);
      await waitFor(() => shown(full) === expected, `full ${expected}`);
      const expectedCompact = fmt(locale, 1_246_912, { notation: 'compact', maximumFractionDigits: 1 });
      await waitFor(() => shown(compact) === expectedCompact, `compact ${expectedCompact}`);
      expect(expectedCompact).not.to.equal(expected);
    });
  }

  it('de-CH compact: millions short with the Swiss decimal point ("1.2 Mio."), thousands whole as in CLDR German', async () => {
    const e = await FakeEvent.create();
    const compact = mount<LivepulseCounter>(
      `<livepulse-counter event="${e.id}" locale="de-CH" compact></livepulse-counter>`,
    );
    await connected(compact);
    await e.sample({ s1: 1_234_567, s2: 12_345 });
    const short = fmt('de-CH', 1_246_912, { notation: 'compact', maximumFractionDigits: 1 });
    expect(short.replace(/\s/g, ' ')).to.equal('1.2 Mio.');
    await waitFor(() => shown(compact) === short, `${short} (shows ${shown(compact)})`);
    // German has no short form for thousands (no "12.3K"): the same digits as in full, by CLDR's design, not ours.
    await e.sample({ s1: 12_345, s2: 0 });
    await waitFor(() => shown(compact) === fmt('de-CH', 12_345), `12'345 (shows ${shown(compact)})`);
  });

  it('a POSIX-style tag (locale="de_CH", lang="fr_CH") is read as de-CH and fr-CH, not dropped for the browser language', async () => {
    const e = await FakeEvent.create();
    const de = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" locale="de_CH"></livepulse-counter>`);
    const fr = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" compact></livepulse-counter>`, {
      lang: 'fr_CH',
    });
    await connected(de);
    await e.sample({ s1: 1_234_567, s2: 0 });
    await waitFor(() => shown(de) === fmt('de-CH', 1_234_567), `de-CH grouping (shows ${shown(de)})`);
    const frCompact = fmt('fr-CH', 1_234_567, { notation: 'compact', maximumFractionDigits: 1 });
    await waitFor(() => shown(fr) === frCompact, `${frCompact} (shows ${shown(fr)})`);
  });

  it("uses the page's lang when it has no locale attribute", async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}"></livepulse-counter>`, { lang: 'de-DE' });
    await connected(el);
    await e.sample({ s1: 12_345, s2: 0 });
    await waitFor(() => shown(el) === fmt('de-DE', 12_345), 'German grouping');
  });

  it('eases between values, and jumps under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'no-preference' });
    const e = await FakeEvent.create();
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" locale="en-US"></livepulse-counter>`);
    await waitFor(() => shown(el) === '1,000', 'the first value');
    const seen = new Set<string>();
    const watch = new MutationObserver(() => seen.add(shown(el)));
    watch.observe(el.shadowRoot!, { subtree: true, characterData: true, childList: true });
    await e.sample({ s1: 2000, s2: 0 });
    await waitFor(() => shown(el) === '2,000', 'the end of the transition');
    watch.disconnect();
    expect(
      [...seen].some((t) => t !== '1,000' && t !== '2,000'),
      `in-between values: ${[...seen].join(',')}`,
    ).to.equal(true);

    await emulateMedia({ reducedMotion: 'reduce' });
    seen.clear();
    watch.observe(el.shadowRoot!, { subtree: true, characterData: true, childList: true });
    await e.sample({ s1: 3000, s2: 0 });
    await waitFor(() => shown(el) === '3,000', 'the new value');
    watch.disconnect();
    expect([...seen].filter((t) => t !== '2,000' && t !== '3,000')).to.deep.equal([]);
  });

  it('turns stale after 2.5 intervals without a sample, dated, the number dimmed', async () => {
    const e = await FakeEvent.create({ intervalSeconds: 0.3 });
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" locale="en-US"></livepulse-counter>`);
    await connected(el);
    await e.sample({ s1: 10, s2: 5 });
    await waitFor(() => el.getAttribute('state') === 'live' && shown(el) === '15', 'live with the sample');
    await waitFor(() => el.getAttribute('state') === 'stale', 'stale', 3000);
    expect(part(el, 'state').textContent).to.match(/^As of \d/);
    expect(getComputedStyle(part(el, 'value')).opacity).to.equal('0.5');
    await e.sample({ s1: 11, s2: 5 });
    await waitFor(() => el.getAttribute('state') === 'live' && shown(el) === '16', 'live again');
  });

  it('shows "denied" without a valid token, and recovers with one', async () => {
    const e = await FakeEvent.create({ token: 'secret-token' });
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" token="wrong"></livepulse-counter>`);
    await waitFor(() => el.getAttribute('state') === 'denied', 'denied');
    expect(part(el, 'state').textContent).to.equal('Access denied: private event or expired link');
    expect(shown(el)).to.equal('');
    el.token = 'secret-token';
    await waitFor(() => el.getAttribute('state') === 'live' && shown(el) !== '', 'live with the right token');
  });

  it('tells an unknown event apart', async () => {
    const e = await FakeEvent.create({ mode: 'missing' });
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}"></livepulse-counter>`);
    await waitFor(() => el.getAttribute('state') === 'not-found', 'not-found');
    expect(part(el, 'state').textContent).to.equal('Event not found');
  });

  it('says its states in French on a French page', async () => {
    const e = await FakeEvent.create({ mode: 'missing' });
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}"></livepulse-counter>`, { lang: 'fr-CA' });
    await waitFor(() => el.getAttribute('state') === 'not-found', 'not-found');
    expect(part(el, 'state').textContent).to.equal('Événement introuvable');
  });

  it('goes offline while the server is down, then resumes after the last sample', async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" locale="en-US"></livepulse-counter>`);
    await waitFor(() => shown(el) === '1,000', 'connected');
    const before = Date.now() - 1000;
    await e.sample({ s1: 100, s2: 11 }, before);
    await waitFor(() => shown(el) === '111', 'a first sample');
    await e.setMode('down');
    await waitFor(() => el.getAttribute('state') === 'offline', 'offline', 8000);
    expect(part(el, 'state').textContent).to.contain('Offline');
    expect(shown(el), 'the last number stays, dimmed').to.equal('111');
    await e.sample({ s1: 200, s2: 22 }); // sent while down: must arrive on resume
    await e.setMode('ok');
    await waitFor(() => shown(el) === '222', 'the missed sample after reconnecting', 10_000);
    expect((await e.stats()).resumedFrom).to.include(String(Date.parse(new Date(before).toISOString())));
  });

  it('has a polite live region and digits of equal width', async () => {
    const e = await FakeEvent.create();
    const el = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" locale="en-US"></livepulse-counter>`);
    await waitFor(() => shown(el) === '1,000', 'connected');
    const region = el.shadowRoot!.querySelector('[role="status"]')!;
    await waitFor(() => region.textContent === '1,000 viewers', 'the announcement');
    expect(getComputedStyle(part(el, 'value')).fontVariantNumeric).to.equal('tabular-nums');
    await e.sample({ s1: 2000, s2: 0 });
    await waitFor(() => shown(el) === '2,000', 'the new value');
    expect(region.textContent, 'throttled: no second announcement within 30 s').to.equal('1,000 viewers');
  });

  it('dispatches livepulse-sample and livepulse-status, bubbling out of shadow roots', async () => {
    const e = await FakeEvent.create();
    const samples: LivepulseSampleDetail[] = [];
    const states: LivepulseStatusDetail[] = [];
    const onSample = (ev: CustomEvent<LivepulseSampleDetail>) => samples.push(ev.detail);
    const onStatus = (ev: CustomEvent<LivepulseStatusDetail>) => states.push(ev.detail);
    document.addEventListener('livepulse-sample', onSample);
    document.addEventListener('livepulse-status', onStatus);
    try {
      mount(`<livepulse-counter event="${e.id}" stream="s1"></livepulse-counter>`);
      await waitFor(() => states.some((s) => s.state === 'live'), 'a live status event');
      await e.sample({ s1: 42, s2: 8 });
      await waitFor(() => samples.length === 1, 'a sample event');
      expect(samples[0]).to.include({ event: e.id, value: 42 });
      expect(samples[0].sample.total).to.equal(50);
      expect(states.find((s) => s.status)?.status?.intervalSeconds).to.equal(10);
    } finally {
      document.removeEventListener('livepulse-sample', onSample);
      document.removeEventListener('livepulse-status', onStatus);
    }
  });
});

describe('<livepulse-counter celebrate>', () => {
  afterEach(() => unmountAll());
  const milestone = { kind: 'threshold' as const, value: 1000, ts: new Date().toISOString() };
  const popping = (el: Element) => {
    const value = el.shadowRoot!.querySelector('[part="value"]')!;
    return getComputedStyle(value).animationName;
  };

  it('marks a milestone with a short animation, and only with the attribute', async () => {
    await emulateMedia({ reducedMotion: 'no-preference' });
    const e = await FakeEvent.create();
    const party = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" celebrate></livepulse-counter>`);
    const plain = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}"></livepulse-counter>`);
    await connected(party);
    await connected(plain);
    expect(popping(party)).to.equal('none');
    await e.milestone(milestone);
    await waitFor(() => party.hasAttribute('celebrating'), 'celebrating');
    expect(popping(party)).to.equal('lp-pop');
    expect(plain.hasAttribute('celebrating')).to.equal(false);
    expect(popping(plain)).to.equal('none');
    await waitFor(() => !party.hasAttribute('celebrating'), 'the celebration ends', 3000);
  });

  it('tells the page of each milestone with a livepulse-milestone event, celebrate or not (the OBS dock reads it)', async () => {
    const e = await FakeEvent.create();
    const plain = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}"></livepulse-counter>`);
    const heard: unknown[] = [];
    plain.addEventListener('livepulse-milestone', (ev) => heard.push(ev.detail));
    await connected(plain);
    await e.milestone(milestone);
    await waitFor(() => heard.length > 0, 'a livepulse-milestone event');
    expect(heard).to.deep.equal([{ event: e.id, milestone }]);
  });

  it('does not move under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const e = await FakeEvent.create();
    const party = mount<LivepulseCounter>(`<livepulse-counter event="${e.id}" celebrate></livepulse-counter>`);
    await connected(party);
    await e.milestone(milestone);
    await waitFor(() => party.hasAttribute('celebrating'), 'celebrating');
    expect(popping(party)).to.equal('none');
  });
});
