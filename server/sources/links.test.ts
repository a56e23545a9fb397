import { describe, expect, it } from 'vitest';
import { parseLink } from './links.ts';

const ID = 'dQw4w9WgXcQ';
const UC = 'UCSJ4gkVC6NrvII8umztf0Ow';
const video = { platform: 'youtube', kind: 'video', videoId: ID };
const handle = (value: string) => ({ platform: 'youtube', kind: 'channel', channel: { by: 'handle', value } });
const twitch = (login: string) => ({ platform: 'twitch', kind: 'channel', login, target: `twitch.tv/${login}` });

describe('parseLink accepts every video, channel and Twitch form', () => {
  it.each<[string, object]>([
    // YouTube videos
    [`https://www.youtube.com/watch?v=${ID}`, video],
    [`https://www.youtube.com/watch?app=desktop&v=${ID}&list=PLx&t=42s`, video],
    [`https://youtu.be/${ID}?si=Xyz123&t=90`, video],
    [`https://www.youtube.com/live/${ID}?feature=share`, video],
    [`https://www.youtube.com/shorts/${ID}`, video],
    [`https://www.youtube.com/embed/${ID}?autoplay=1`, video],
    [`https://m.youtube.com/watch?v=${ID}&feature=youtu.be`, video],
    [`https://music.youtube.com/watch?v=${ID}&si=AbC`, video],
    [`youtube.com/live/${ID}`, video],
    [ID, video],
    // YouTube channels
    ['https://www.youtube.com/@LofiGirl', { ...handle('LofiGirl'), target: 'youtube.com/@LofiGirl' }],
    ['https://www.youtube.com/@LofiGirl/live', handle('LofiGirl')],
    ['youtube.com/@lofi.girl-2_x/streams', handle('lofi.girl-2_x')],
    ['https://m.youtube.com/@LofiGirl/live?si=abc', handle('LofiGirl')],
    ['@LofiGirl', handle('LofiGirl')],
    ['@LofiGirl/live', handle('LofiGirl')],
    ['https://www.youtube.com/@%E3%81%BF%E3%81%8B%E3%82%93', handle('みかん')],
    [
      `https://www.youtube.com/channel/${UC}`,
      { channel: { by: 'id', value: UC }, target: `youtube.com/channel/${UC}` },
    ],
    [`https://www.youtube.com/channel/${UC}/live`, { channel: { by: 'id', value: UC } }],
    [`https://www.youtube.com/embed/live_stream?channel=${UC}`, { channel: { by: 'id', value: UC } }],
    ['https://www.youtube.com/c/LofiGirl', { channel: { by: 'custom', value: 'LofiGirl' } }],
    ['https://www.youtube.com/c/LofiGirl/live', { channel: { by: 'custom', value: 'LofiGirl' } }],
    ['https://www.youtube.com/user/LofiGirl', { channel: { by: 'user', value: 'LofiGirl' } }],
    ['http://youtube.com/user/LofiGirl/live/', { channel: { by: 'user', value: 'LofiGirl' } }],
    // Twitch
    ['https://www.twitch.tv/shroud', twitch('shroud')],
    ['https://twitch.tv/shroud', twitch('shroud')],
    ['twitch.tv/shroud', twitch('shroud')],
    ['www.twitch.tv/Shroud/', twitch('shroud')],
    ['https://m.twitch.tv/shroud?sr=a', twitch('shroud')],
    ['http://twitch.tv/a_b_c_123', twitch('a_b_c_123')],
    ['  https://TWITCH.TV/EsL_CsGo  ', twitch('esl_csgo')],
  ])('%s', (input, expected) => {
    const r = parseLink(input);
    expect(r).toMatchObject({ ok: true, link: expected });
  });
});

describe('parseLink refuses the rest with a message that says why', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['javascript:alert(1)', 'not a link LivePulse can follow'],
    ['https://vimeo.com/123456', 'not a link LivePulse can follow'],
    ['https://kick.com/shroud', 'not a link LivePulse can follow'],
    [`https://youtube.com.evil.com/watch?v=${ID}`, 'not a link LivePulse can follow'],
    ['https://twitch.tv.evil.com/shroud', 'not a link LivePulse can follow'],
    ['https://user:pw@twitch.tv/shroud', 'not a link LivePulse can follow'],
    // Cyrillic о in the host: a look-alike is another host (punycode), never YouTube
    [`https://www.y\u043eutube.com/watch?v=${ID}`, 'not a link LivePulse can follow'],
    ['https://twitch.tv/\u0455hroud', 'does not name a Twitch channel'],
    ['https://www.youtube.com/watch?v=dQw4w9WgXc Q', 'contains spaces'],
    ['twitch.tv/shr oud', 'contains spaces'],
    [`https://www.youtube.com/watch?v=${ID}&x=${'a'.repeat(3000)}`, 'too long'],
    [`https://www.youtube.com/watch?v=${ID.slice(0, 10)}`, 'has 10 characters'],
    ['https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf', 'playlist'],
    ['https://www.youtube.com/@ab', 'does not name a channel'],
    ['https://www.youtube.com/@LofiGirl/community', 'does not name a channel'],
    ['https://www.youtube.com/@LofiGirl/live/extra', 'does not name a channel'],
    ['https://www.youtube.com/channel/UCshort', 'does not name a channel'],
    ['https://www.youtube.com/embed/live_stream?channel=nope', 'does not name a channel'],
    ['https://www.youtube.com/c/', 'does not name a channel'],
    ['https://twitch.tv/videos/123456789', 'is a Twitch page'],
    ['https://www.twitch.tv/shroud/videos', 'is a Twitch page'],
    ['https://www.twitch.tv/shroud/clip/AbcDef', 'is a Twitch page'],
    ['https://www.twitch.tv/directory/category/just-chatting', 'is a Twitch page'],
    ['https://twitch.tv/', 'is a Twitch page'],
    ['https://clips.twitch.tv/AbcDef', 'not a link LivePulse can follow'],
    ['https://twitch.tv/abc', 'does not name a Twitch channel'],
    ['https://twitch.tv/_shroud', 'does not name a Twitch channel'],
    [`https://twitch.tv/${'a'.repeat(26)}`, 'does not name a Twitch channel'],
    ['https://twitch.tv/shr-oud', 'does not name a Twitch channel'],
    ['ftp://twitch.tv/shroud', 'not a link LivePulse can follow'],
    ['data:text/html,twitch.tv/shroud', 'not a link LivePulse can follow'],
  ])('%s', (input, phrase) => {
    const r = parseLink(input);
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.message).toContain(phrase);
  });

  it('keeps the code invalid_youtube_url for wrong YouTube links, invalid_link for the rest', () => {
    expect(parseLink('https://www.youtube.com/watch?v=short')).toMatchObject({ code: 'invalid_youtube_url' });
    expect(parseLink('https://www.youtube.com/@x')).toMatchObject({ code: 'invalid_youtube_url' });
    expect(parseLink('https://twitch.tv/videos/1')).toMatchObject({ code: 'invalid_link' });
    expect(parseLink('https://vimeo.com/1')).toMatchObject({ code: 'invalid_link' });
  });

  it('never echoes a long input whole, nor control characters', () => {
    const r = parseLink(`https://evil.example/\u202e${'x'.repeat(500)}`);
    expect(!r.ok && r.message.length).toBeLessThan(400);
    expect(!r.ok && r.message).not.toContain('\u202e');
  });
});
