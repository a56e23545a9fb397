import { expect } from 'chai';
import { chooseYoutubeSource } from '../../server/sources/youtube-choice.ts';
import type { StreamInfo } from '../../server/wire.ts';
import { channelName, followsText, sourceText } from './stream-source.ts';

const yt = (source: StreamInfo['source'], sourceReason: string | null) =>
  ({ platform: 'youtube', source, sourceReason }) as const;

/** The server's own reasons, so a change of its wording fails here instead of showing English on a French page. */
function reasonFor(o: Partial<Parameters<typeof chooseYoutubeSource>[0]>) {
  const now = new Date('2026-12-07T10:00:00Z');
  const choice = chooseYoutubeSource({ setting: 'auto', hasKey: true, quotaSpentUntil: null, now, ...o });
  return yt(choice.source, choice.why);
}

describe('stream source in words', () => {
  afterEach(() => document.documentElement.removeAttribute('lang'));

  it('says nothing while a YouTube stream has not been polled, whatever the reason', () => {
    expect(sourceText(yt(null, null))).to.equal(null);
    expect(sourceText(yt(null, 'YT_SOURCE=api but no YT_API_KEY is set'))).to.equal(null);
  });

  it('keeps a reason it does not know as the server wrote it', () => {
    expect(sourceText(yt('innertube', 'something new'))).to.equal('via InnerTube — something new');
    expect(sourceText(yt('api', null))).to.equal('via Data API');
  });

  it('says each of the server’s choices in words', () => {
    document.documentElement.lang = 'en-GB';
    expect(sourceText(reasonFor({}))).to.equal('via Data API — key set');
    expect(sourceText(reasonFor({ hasKey: false }))).to.equal('via InnerTube — no API key');
    expect(sourceText(reasonFor({ setting: 'innertube' }))).to.equal('via InnerTube — set by YT_SOURCE=innertube');
    expect(sourceText(reasonFor({ setting: 'api' }))).to.equal('via Data API — set by YT_SOURCE=api');
    const until = new Date('2026-12-08T08:00:00Z');
    expect(sourceText(reasonFor({ quotaSpentUntil: until }))).to.equal(
      'via InnerTube — Data API quota spent until 00:00 PT (08:00 UTC)',
    );
    expect(sourceText(reasonFor({ keyHeldUntil: until }))).to.equal(
      'via InnerTube — YouTube refused the API key (asked again every 5 minutes)',
    );
    expect(sourceText(yt('api', 'quota spent until 2026-12-08T08:00:00.000Z'))).to.equal(
      `via Data API — Data API quota spent until ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(until)}`,
    );
  });

  it('says Twitch for every Twitch stream, before its first poll too', () => {
    expect(sourceText({ platform: 'twitch', source: null, sourceReason: null })).to.equal('via Twitch');
    expect(sourceText({ platform: 'twitch', source: 'twitch', sourceReason: 'Twitch app set' })).to.equal('via Twitch');
  });

  it('speaks French on a French page', () => {
    document.documentElement.lang = 'fr';
    expect(sourceText(reasonFor({ hasKey: false }))).to.equal('via InnerTube — pas de clé d’API');
    expect(sourceText(reasonFor({}))).to.equal('via l’API Data — clé configurée');
    expect(followsText({ platform: 'youtube', follows: true, target: 'youtube.com/@lofigirl' })).to.equal(
      'suit @lofigirl',
    );
  });

  it('names the followed channel of each link form, and nothing for a video or Twitch', () => {
    const follows = (target: string) => followsText({ platform: 'youtube', follows: true, target });
    expect(follows('youtube.com/@lofigirl')).to.equal('follows @lofigirl');
    expect(follows('https://www.youtube.com/@lofigirl/live')).to.equal('follows @lofigirl');
    expect(channelName('youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow')).to.equal('UCSJ4gkVC6NrvII8umztf0Ow');
    expect(channelName('youtube.com/c/LofiGirl')).to.equal('LofiGirl');
    expect(channelName('youtube.com/user/name/live')).to.equal('name');
    expect(followsText({ platform: 'youtube', follows: false, target: 'youtube.com/watch?v=x' })).to.equal(null);
    expect(followsText({ platform: 'twitch', follows: true, target: 'twitch.tv/x' })).to.equal(null);
  });
});
