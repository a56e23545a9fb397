import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { StreamInfo } from '../../server/wire.ts';
import { define } from '../define.ts';
import { FakeEvent, mount, unmountAll, waitFor } from '../testing/backend.ts';
import { LivepulseStreamRow } from './livepulse-stream-row.ts';

define('livepulse-stream-row', LivepulseStreamRow);

const base: StreamInfo = {
  id: 'st1',
  platform: 'youtube',
  target: null,
  follows: false,
  videoId: 'dQw4w9WgXcQ',
  login: null,
  source: 'api',
  sourceReason: 'YT_API_KEY set and quota left: the Data API',
  label: 'Main stage',
  status: 'live',
  statusReason: null,
  scheduledStart: null,
  title: 'Keynote',
  channelTitle: 'Conf',
  viewers: 1234,
  updatedAt: new Date().toISOString(),
  chat: 'off',
  chatReason: null,
};

async function row(patch: Partial<StreamInfo>) {
  const el = mount<LivepulseStreamRow>('<livepulse-stream-row event-id="ev1"></livepulse-stream-row>');
  el.stream = { ...base, ...patch };
  await el.updateComplete;
  const root = el.shadowRoot!;
  const text = (selector: string) => root.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  return { el, root, text };
}

describe('<livepulse-stream-row> platform and source', () => {
  afterEach(() => {
    unmountAll();
    document.documentElement.removeAttribute('lang');
  });

  it('shows a channel with nothing live in neutral words, with no link and no error tone', async () => {
    const { root, text } = await row({
      platform: 'youtube',
      follows: true,
      target: 'youtube.com/@lofigirl',
      videoId: null,
      status: 'offline',
      viewers: null,
      source: null,
      sourceReason: null,
    });
    expect(text('.status')).to.equal('Channel offline — will follow its next live');
    expect(root.querySelector('.status')!.getAttribute('data-tone')).to.equal('quiet');
    expect(root.querySelector('[role="alert"]')!.textContent).to.equal('');
    expect(text('.source')).to.match(/^follows @lofigirl · /);
    expect(root.querySelector('.source a')).to.equal(null);
  });

  it('marks a YouTube stream and says it is counted through the Data API because a key is set', async () => {
    const { root, text } = await row({});
    const mark = root.querySelector('svg.platform')!;
    expect(mark.getAttribute('role')).to.equal('img');
    expect(mark.getAttribute('aria-label')).to.equal('YouTube');
    expect(text('.source')).to.match(/^via Data API — key set · video dQw4w9WgXcQ · Updated /);
    expect(root.querySelector('.source a')!.getAttribute('href')).to.equal(
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    );
  });

  it('shows what a followed channel counts now, and that InnerTube answers without a key', async () => {
    const { text } = await row({
      follows: true,
      target: 'youtube.com/@lofigirl',
      videoId: 'jfKfPfyJRdk',
      source: 'innertube',
      sourceReason: 'no YT_API_KEY: InnerTube (no quota, unofficial)',
    });
    expect(text('.source')).to.match(/^via InnerTube — no API key · follows @lofigirl · video jfKfPfyJRdk · /);
  });

  it('marks a Twitch stream as Twitch and links its channel', async () => {
    const { root, text } = await row({
      platform: 'twitch',
      target: 'twitch.tv/shroud',
      follows: false,
      videoId: null,
      login: 'shroud',
      source: 'twitch',
      sourceReason: null,
      title: 'Ranked',
      channelTitle: null,
    });
    const mark = root.querySelector('svg.platform')!;
    expect(mark.getAttribute('aria-label')).to.equal('Twitch');
    expect(mark.getAttribute('data-platform')).to.equal('twitch');
    expect(text('.source')).to.match(/^via Twitch · twitch.tv\/shroud · /);
    expect(root.querySelector('.source a')!.getAttribute('href')).to.equal('https://www.twitch.tv/shroud');
  });

  it('speaks French on a French page', async () => {
    document.documentElement.lang = 'fr';
    const { text } = await row({
      status: 'offline',
      follows: true,
      target: 'youtube.com/@x',
      videoId: null,
      source: null,
    });
    expect(text('.status')).to.equal('Chaîne hors ligne — suivra son prochain direct');
    expect(text('.source')).to.match(/^suit @x · /);
  });

  it('says each thing once: an untitled video is named by its link, a channel row starts with no stray "·"', async () => {
    const video = await row({ title: null, channelTitle: null, source: 'innertube', sourceReason: null });
    expect(video.text('.meta')).to.equal('video dQw4w9WgXcQ');
    expect(video.text('.source')).to.match(/^via InnerTube · Updated /);
    const all = video.el.shadowRoot!.querySelector('.top')!.textContent;
    expect(all.split('dQw4w9WgXcQ').length - 1, all).to.equal(1);
    unmountAll();
    const channel = await row({
      follows: true,
      target: 'youtube.com/@lofigirl',
      videoId: null,
      title: null,
      channelTitle: null,
      status: 'pending',
      source: null,
      sourceReason: null,
      updatedAt: null,
    });
    expect(channel.text('.meta')).to.equal('follows @lofigirl');
    expect(channel.text('.source')).to.equal('Not polled yet');
    for (const line of ['.meta', '.source']) expect(channel.text(line)).to.not.match(/^·/);
  });

  it('three rows as the admin shows them (test-output/admin/stream-rows.png)', async () => {
    await setViewport({ width: 900, height: 700 });
    const wrap = mount<HTMLElement>(
      '<div style="width: 800px; padding: 16px; background: #fff; color: #1b1f24; font: 16px system-ui, sans-serif; --lp-muted: #55606c"></div>',
    );
    const rows: Partial<StreamInfo>[] = [
      {
        title: null,
        channelTitle: null,
        status: 'error',
        statusReason: 'InnerTube lookup failed',
        viewers: null,
        source: 'innertube',
        sourceReason: 'no YT_API_KEY: InnerTube (no quota, unofficial)',
      },
      {
        follows: true,
        target: 'youtube.com/@lofigirl',
        label: '@lofigirl',
        videoId: null,
        title: null,
        channelTitle: null,
        status: 'pending',
        viewers: null,
        source: null,
        sourceReason: null,
        updatedAt: null,
      },
      { label: 'Main hall' },
    ];
    for (const patch of rows) {
      const el = document.createElement('livepulse-stream-row') as LivepulseStreamRow;
      el.stream = { ...base, ...patch };
      wrap.append(el);
      await el.updateComplete;
    }
    const r = wrap.getBoundingClientRect();
    await executeServerCommand('screenshot', {
      name: 'admin/stream-rows',
      clip: { x: r.x, y: r.y, width: r.width, height: r.height },
    });
  });
});

const chatLine = (row: Element) => row.shadowRoot!.querySelector('.chat-state')!.textContent.trim();
const chatSwitch = (row: Element) => row.shadowRoot!.querySelector<HTMLInputElement>('.chat input[role="switch"]');

describe('<livepulse-stream-row> chat activity', () => {
  afterEach(() => unmountAll());

  async function row(patch: Partial<StreamInfo> = {}) {
    const e = await FakeEvent.create();
    const stream: StreamInfo = { ...e.statusMessage().streams[0], chat: 'off', chatReason: null, ...patch };
    const el = mount<LivepulseStreamRow>(`<livepulse-stream-row event-id="${e.id}"></livepulse-stream-row>`);
    el.stream = stream;
    await el.updateComplete;
    return { e, el, stream };
  }

  it('a stream the server says nothing about is off, and a refused switch says why', async () => {
    const { el } = await row({ id: 'gone' }); // the fake has no such stream: 404
    delete (el.stream as Partial<StreamInfo>).chat;
    el.requestUpdate();
    await el.updateComplete;
    expect(chatLine(el)).to.equal('Chat: off');
    chatSwitch(el)!.click();
    await waitFor(() => el.shadowRoot!.querySelector('.error')!.textContent.includes('not found'), 'the refusal');
  });

  it('says each state in words, and the switch sends PATCH {chat} with the new value', async () => {
    const { e, el, stream } = await row();
    expect(chatLine(el)).to.equal('Chat: off');
    expect(chatSwitch(el)!.checked).to.equal(false);
    const changed = new Promise((r) => el.addEventListener('livepulse-streams-changed', r, { once: true }));
    chatSwitch(el)!.click();
    await changed;
    expect(await e.patches()).to.deep.equal([{ sid: stream.id, body: { chat: true } }]);
    const words: [Partial<StreamInfo>, string][] = [
      [{ chat: 'pending' }, 'Chat: reading (no whole minute yet)'],
      [{ chat: 'ok' }, 'Chat: reading'],
      [{ chat: 'disabled' }, 'Chat: disabled by the owner'],
      [{ chat: 'members_only' }, 'Chat: members only'],
      // YouTube's own sentence is not repeated after them (it carried codes like UNPLAYABLE, in English).
      [
        { chat: 'members_only', chatReason: 'YouTube will not show this video (UNPLAYABLE): Join' },
        'Chat: members only',
      ],
      [{ chat: 'disabled', chatReason: 'Chat is disabled for this live stream.' }, 'Chat: disabled by the owner'],
      [{ chat: 'unavailable', chatReason: 'the stream has ended' }, 'Chat: not available (the stream has ended)'],
      [{ chat: 'unavailable', chatReason: null }, 'Chat: not available'],
    ];
    for (const [patch, text] of words) {
      el.stream = { ...stream, chatReason: null, ...patch };
      await el.updateComplete;
      expect(chatLine(el), patch.chat).to.equal(text);
      expect(chatSwitch(el)!.checked, patch.chat).to.equal(true);
    }
    chatSwitch(el)!.click();
    await waitFor(async () => (await e.patches()).length === 2, 'the second PATCH');
    expect((await e.patches())[1].body).to.deep.equal({ chat: false });
  });

  it('in French, and no switch for a Twitch stream', async () => {
    const { el, stream } = await row({ chat: 'members_only' });
    document.documentElement.lang = 'fr';
    try {
      el.requestUpdate();
      await el.updateComplete;
      expect(chatLine(el)).to.equal('Chat : réservé aux membres');
      el.stream = { ...stream, platform: 'twitch', videoId: null, login: 'someone', chat: 'off' };
      await el.updateComplete;
      expect(chatLine(el)).to.equal('Chat : non lu pour les flux Twitch');
      expect(chatSwitch(el)).to.equal(null);
    } finally {
      document.documentElement.lang = '';
    }
  });
});

describe('<livepulse-stream-row> label', () => {
  afterEach(() => {
    unmountAll();
    document.documentElement.removeAttribute('lang');
  });

  for (const [lang, words] of [
    ['en', /^A stream needs a label/],
    ['fr', /^Un flux a besoin d’un libellé/],
  ] as const)
    it(`refuses a cleared label in plain ${lang} words, sends nothing, and forgets it once the field changes`, async () => {
      document.documentElement.lang = lang;
      const { el, root } = await row({});
      const sent: string[] = [];
      const realFetch = window.fetch;
      window.fetch = async (input, init) => {
        sent.push(input instanceof Request ? input.url : String(input));
        return realFetch(input, init);
      };
      try {
        const input = root.querySelector<HTMLInputElement>('input[name="label"]')!;
        input.value = '   ';
        root.querySelector<HTMLButtonElement>('form.edit button[type="submit"]')!.click();
        await el.updateComplete;
        const alert = root.querySelector('[role="alert"]')!;
        expect(alert.textContent).to.match(words);
        expect(input.getAttribute('aria-invalid')).to.equal('true');
        expect(sent).to.deep.equal([]);
        input.value = 'Main hall';
        input.dispatchEvent(new Event('input'));
        await el.updateComplete;
        expect(alert.textContent).to.equal('');
      } finally {
        window.fetch = realFetch;
      }
    });
});
