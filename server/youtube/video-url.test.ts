import { describe, expect, it } from 'vitest';
import { parseVideoInput } from './video-url.ts';

const ID = 'dQw4w9WgXcQ';

describe('parseVideoInput accepts every video link form', () => {
  it.each([
    [`https://www.youtube.com/watch?v=${ID}`, ID],
    [`https://youtube.com/watch?v=${ID}&t=42s`, ID],
    [`https://www.youtube.com/watch?app=desktop&v=${ID}&list=PLx&index=3`, ID],
    [`https://m.youtube.com/watch?v=${ID}&feature=youtu.be`, ID],
    [`https://music.youtube.com/watch?v=${ID}&si=AbCdEf`, ID],
    [`https://youtu.be/${ID}`, ID],
    [`https://youtu.be/${ID}?si=Xyz123&t=90`, ID],
    [`https://www.youtube.com/live/${ID}?feature=share`, ID],
    [`https://www.youtube.com/live/${ID}?si=abc`, ID],
    [`https://www.youtube.com/shorts/${ID}`, ID],
    [`https://www.youtube.com/embed/${ID}?autoplay=1`, ID],
    [`https://www.youtube-nocookie.com/embed/${ID}`, ID],
    [`https://www.youtube.com/v/${ID}`, ID],
    [`https://www.youtube.com/e/${ID}`, ID],
    [`youtube.com/watch?v=${ID}`, ID],
    [`www.youtube.com/live/${ID}`, ID],
    [`youtu.be/${ID}`, ID],
    [`  https://YOUTU.BE/${ID}  `, ID],
    [`HTTPS://WWW.YouTube.COM/watch?v=${ID}`, ID],
    [`http://www.youtube.com/watch?v=${ID}`, ID],
    [`https://www.youtube.com/watch_popup?v=${ID}`, ID],
    [`https://www.youtube.com/watch?feature=share&v=${ID}#t=10`, ID],
    [`https://www.youtube.com/live/${ID}/`, ID],
    [ID, ID],
    [`\t${ID}\n`, ID],
    ['a-b_C0123Zz', 'a-b_C0123Zz'],
  ])('%s → %s', (input, id) => {
    expect(parseVideoInput(input)).toEqual({ ok: true, videoId: id });
  });

  it('keeps the id case as pasted (ids are case-sensitive)', () => {
    expect(parseVideoInput('https://YOUTU.BE/AbCdEfGhIjK')).toEqual({ ok: true, videoId: 'AbCdEfGhIjK' });
  });
});

describe('parseVideoInput rejects everything else with a message that says why', () => {
  it.each([
    // [input, a phrase the message must contain]
    [`https://www.youtube.com/watch?v=${ID.slice(0, 10)}`, 'has 10 characters'],
    [`https://www.youtube.com/watch?v=${ID}Q`, 'has 12 characters'],
    [ID.slice(0, 10), 'has 10 characters'],
    [`${ID}Q`, 'has 12 characters'],
    [`https://youtu.be/${ID.slice(0, 9)}`, 'has 9 characters'],
    ['https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf', 'playlist'],
    ['https://www.youtube.com/watch?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf', 'playlist'],
    ['https://www.youtube.com/embed/videoseries?list=PLx', 'playlist'],
    ['https://www.youtube.com/@LofiGirl/live', 'not the channel'],
    ['https://www.youtube.com/@LofiGirl', 'not the channel'],
    ['youtube.com/@LofiGirl/streams', 'not the channel'],
    ['https://www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow/live', 'not the channel'],
    ['https://www.youtube.com/c/LofiGirl/live', 'not the channel'],
    ['https://www.youtube.com/user/LofiGirl', 'not the channel'],
    ['https://www.youtube.com/embed/live_stream?channel=UCSJ4gkVC6NrvII8umztf0Ow', 'not the channel'],
    [`https://evil.com/watch?v=${ID}`, 'not a YouTube video link'],
    [`https://youtube.com.evil.com/watch?v=${ID}`, 'not a YouTube video link'],
    [`https://evil.com/?u=youtu.be/${ID}`, 'not a YouTube video link'],
    [`https://notyoutube.com/watch?v=${ID}`, 'not a YouTube video link'],
    [`https://youtube.com@evil.com/watch?v=${ID}`, 'not a YouTube video link'],
    [`https://user:pw@youtube.com/watch?v=${ID}`, 'not a YouTube video link'],
    ['javascript:alert(1)', 'not a YouTube video link'],
    [`data:text/html,<a href=youtu.be/${ID}>`, 'not a YouTube video link'],
    [`ftp://youtube.com/watch?v=${ID}`, 'not a YouTube video link'],
    [`http://localhost/watch?v=${ID}`, 'not a YouTube video link'],
    ['https://www.youtube.com/', 'not to a video'],
    ['https://www.youtube.com/feed/subscriptions', 'not to a video'],
    [`https://www.youtube.com/watch?v=${ID.slice(0, 10)}%27`, 'not to a video'],
    [`https://www.youtube.com/live/${ID}/extra`, 'not to a video'],
    ['hello world', 'not a YouTube video link'],
    ["dQw4w9WgXcQ' OR '1'='1", 'not a YouTube video link'],
    ['   ', 'empty'],
    ['', 'empty'],
  ])('%s', (input, phrase) => {
    const r = parseVideoInput(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('invalid_youtube_url');
    expect(r.message).toContain(phrase);
  });

  it('quotes the input and says what is accepted', () => {
    const r = parseVideoInput('https://vimeo.com/123');
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('"https://vimeo.com/123"') });
    expect(!r.ok && r.message).toContain('https://youtu.be/');
  });

  it('rejects inputs over 2 kB without echoing them', () => {
    const huge = `https://www.youtube.com/watch?v=${ID}&x=${'a'.repeat(5000)}`;
    const r = parseVideoInput(huge);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('too long');
    expect(!r.ok && r.message.length).toBeLessThan(300);
  });

  it('truncates a long input to about 80 characters in the message', () => {
    const long = `https://evil.example/${'x'.repeat(300)}`;
    const r = parseVideoInput(long);
    const quoted = !r.ok ? /"([^"]*)"/.exec(r.message)?.[1] : undefined;
    expect(quoted?.length).toBe(80);
    expect(quoted?.endsWith('…')).toBe(true);
  });

  it('strips control and direction characters from the quoted input', () => {
    const r = parseVideoInput('https://evil.com/\u0007a\u202eb\u0000c');
    expect(!r.ok && r.message).toContain('"https://evil.com/abc"');
  });
});
