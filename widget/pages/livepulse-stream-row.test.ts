import { expect } from 'chai';
import type { StreamInfo } from '../../server/wire.ts';
import { define } from '../define.ts';
import { FakeEvent, mount, unmountAll, waitFor } from '../testing/backend.ts';
import { LivepulseStreamRow } from './livepulse-stream-row.ts';

define('livepulse-stream-row', LivepulseStreamRow);

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
