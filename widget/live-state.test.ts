import { expect } from 'chai';
import type { StatusMessage, StreamInfo, StreamStatus } from '../server/wire.ts';
import { decideState, findStream, stateText, type LiveFacts } from './live-state.ts';

const NOW = Date.UTC(2026, 10, 28, 20, 4);

function stream(id: string, status: StreamStatus, extra: Partial<StreamInfo> = {}): StreamInfo {
  return {
    id,
    platform: 'youtube',
    target: null,
    follows: false,
    login: null,
    source: null,
    sourceReason: null,
    videoId: `yt-video-${id}`,
    label: id,
    status,
    statusReason: null,
    scheduledStart: null,
    title: null,
    channelTitle: null,
    viewers: status === 'live' ? 100 : null,
    updatedAt: null,
    chat: 'off',
    chatReason: null,
    ...extra,
  };
}

function status(streams: StreamInfo[], extra: Partial<StatusMessage> = {}): StatusMessage {
  return { state: 'ok', intervalSeconds: 10, streams, ...extra };
}

const facts = (extra: Partial<LiveFacts>): LiveFacts => ({
  link: 'open',
  status: status([stream('a', 'live')]),
  lastSampleAt: NOW - 1000,
  ...extra,
});

describe('live state model', () => {
  it('is live while the last count is younger than 2.5 intervals, and says when to look again', () => {
    const view = decideState(facts({ lastSampleAt: NOW - 20_000 }), NOW);
    expect(view.state).to.equal('live');
    expect(view.recheckIn).to.equal(5000);
    expect(stateText(view, 'en')).to.equal('');
  });

  it('turns stale after 2.5 intervals, dated, and follows a stretched interval', () => {
    expect(decideState(facts({ lastSampleAt: NOW - 25_000 }), NOW)).to.include({ state: 'stale', recheckIn: null });
    const slow = facts({ lastSampleAt: NOW - 60_000, status: status([stream('a', 'live')], { intervalSeconds: 30 }) });
    expect(decideState(slow, NOW).state).to.equal('live');
    const view = decideState(facts({ lastSampleAt: NOW - 5 * 60_000 }), NOW);
    const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' }).format(NOW - 5 * 60_000);
    expect(stateText(view, 'en-US')).to.equal(`As of ${time}`);
  });

  it('a stream whose YouTube calls fail keeps its last count, stale, not "no data"', () => {
    const view = decideState(facts({ status: status([stream('a', 'error')]), lastSampleAt: NOW - 60_000 }), NOW);
    expect(view.state).to.equal('stale');
    expect(decideState(facts({ status: status([stream('a', 'error')]), lastSampleAt: null }), NOW)).to.include({
      state: 'no-data',
      reason: 'error',
    });
  });

  it('is offline without a connection, with the age of the number', () => {
    const view = decideState(facts({ link: 'offline', lastSampleAt: NOW - 60_000 }), NOW);
    expect(view.state).to.equal('offline');
    expect(stateText(view, 'fr-FR')).to.match(/^Hors ligne, reconnexion · Relevé de \d/);
    expect(stateText({ ...view, lastSampleAt: null }, 'en')).to.equal('Offline, reconnecting');
  });

  it('is connecting until the first status frame', () => {
    expect(decideState(facts({ link: 'connecting', status: null, lastSampleAt: null }), NOW).state).to.equal(
      'connecting',
    );
    expect(decideState(facts({ status: null }), NOW).state).to.equal('connecting');
  });

  const noData: [string, StreamInfo[], Partial<StatusMessage>, string, string][] = [
    [
      'no key',
      [stream('a', 'no_api_key'), stream('b', 'no_api_key')],
      {},
      'no_api_key',
      'No YouTube API key configured',
    ],
    ['a refused key', [stream('a', 'api_key_invalid')], {}, 'api_key_invalid', 'YouTube refuses the API key'],
    ['quota without a time', [stream('a', 'quota_exceeded')], {}, 'quota_exceeded', 'YouTube quota spent for today'],
    [
      'every stream hidden',
      [stream('a', 'live_hidden'), stream('b', 'live_hidden')],
      {},
      'live_hidden',
      'Count hidden by the channel',
    ],
    ['paused', [stream('a', 'paused'), stream('b', 'paused')], {}, 'paused', 'Paused'],
    ['ended', [stream('a', 'ended'), stream('b', 'unavailable')], {}, 'ended', 'Stream ended'],
    ['not started, no time', [stream('a', 'upcoming')], {}, 'upcoming', 'Not started yet'],
    ['no stream at all', [], {}, 'no_streams', 'No stream yet'],
  ];
  for (const [name, streams, extra, reason, words] of noData) {
    it(`no-data with its reason: ${name}`, () => {
      const view = decideState(facts({ status: status(streams, extra) }), NOW);
      expect(view).to.include({ state: 'no-data', reason });
      expect(stateText(view, 'en-GB')).to.equal(words);
      expect(stateText(view, 'fr'), 'French words exist').to.be.a('string').and.not.equal(words);
    });
  }

  it('tells when the quota resumes and when an upcoming stream starts, in local time', () => {
    const resumesAt = '2026-11-29T08:00:00.000Z';
    const quota = decideState(facts({ status: status([stream('a', 'quota_exceeded')], { resumesAt }) }), NOW);
    expect(quota).to.include({ state: 'no-data', reason: 'quota_exceeded', at: resumesAt });
    const clock = (locale: string, iso: string) =>
      new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(Date.parse(iso));
    expect(stateText(quota, 'en-US')).to.equal(`YouTube quota spent until ${clock('en-US', resumesAt)}`);
    expect(stateText(quota, 'fr-CA')).to.equal(`Quota YouTube épuisé jusqu’à ${clock('fr-CA', resumesAt)}`);
    const upcoming = decideState(
      facts({
        status: status([
          stream('a', 'upcoming', { scheduledStart: '2026-11-28T22:00:00Z' }),
          stream('b', 'upcoming', { scheduledStart: '2026-11-28T21:00:00Z' }),
        ]),
      }),
      NOW,
    );
    expect(stateText(upcoming, 'en-US')).to.equal(`Starts at ${clock('en-US', '2026-11-28T21:00:00Z')}`);
  });

  it('a global cause beats a per-stream one; one counting stream makes the total live', () => {
    expect(
      decideState(facts({ status: status([stream('a', 'live_hidden'), stream('b', 'no_api_key')]) }), NOW).reason,
    ).to.equal('no_api_key');
    expect(decideState(facts({ status: status([stream('a', 'ended'), stream('b', 'live')]) }), NOW).state).to.equal(
      'live',
    );
  });

  it('a stream attribute takes the stream id or the video id, and judges that stream alone', () => {
    const s = status([stream('a', 'live'), stream('b', 'quota_exceeded')]);
    expect(findStream(s.streams, 'yt-video-b')?.id).to.equal('b');
    expect(decideState(facts({ status: s, stream: 'a' }), NOW)).to.include({ state: 'live', streamId: 'a' });
    expect(decideState(facts({ status: s, stream: 'yt-video-a' }), NOW)).to.include({ state: 'live', streamId: 'a' });
    expect(decideState(facts({ status: s, stream: 'yt-video-b' }), NOW)).to.include({
      state: 'no-data',
      reason: 'quota_exceeded',
      streamId: 'b',
    });
  });

  it("one stream not counting (pending, failing) is never live on another stream's count", () => {
    const s = status([stream('a', 'live'), stream('b', 'pending'), stream('c', 'error')]);
    expect(decideState(facts({ status: s, stream: 'b' }), NOW)).to.include({ state: 'no-data', reason: 'pending' });
    expect(stateText(decideState(facts({ status: s, stream: 'b' }), NOW), 'en')).to.equal('Waiting for a first count');
    expect(decideState(facts({ status: s, stream: 'c' }), NOW)).to.include({ state: 'no-data', reason: 'error' });
    const counted = new Set(['c']);
    expect(decideState(facts({ status: s, stream: 'c', counted }), NOW)).to.include({
      state: 'stale',
      lastSampleAt: null,
    });
    expect(decideState(facts({ status: s, stream: 'a' }), NOW).state).to.equal('live');
  });

  it('an unknown stream is not-found, not "hidden"', () => {
    const view = decideState(facts({ stream: 'nope' }), NOW);
    expect(view).to.include({ state: 'not-found', reason: 'stream' });
    expect(stateText(view, 'en')).to.equal('Stream not found');
    expect(stateText(view, 'fr')).to.equal('Flux introuvable');
  });

  it('denied and not-found win over everything, in one short line', () => {
    expect(decideState(facts({ link: 'denied' }), NOW).state).to.equal('denied');
    expect(decideState(facts({ link: 'not-found', stream: 'nope' }), NOW)).to.deep.equal({
      state: 'not-found',
      lastSampleAt: NOW - 1000,
      recheckIn: null,
      streamId: undefined,
    });
    expect(stateText(decideState(facts({ link: 'denied' }), NOW), 'en')).to.equal(
      'Access denied: private event or expired link',
    );
    expect(stateText(decideState(facts({ link: 'not-found' }), NOW), 'fr-BE')).to.equal('Événement introuvable');
  });

  it('another language gets English words with its own time format, never half of each', () => {
    const view = decideState(facts({ link: 'offline', lastSampleAt: NOW - 60_000 }), NOW);
    const time = new Intl.DateTimeFormat('de-DE', { hour: 'numeric', minute: '2-digit' }).format(NOW - 60_000);
    expect(stateText(view, 'de-DE')).to.equal(`Offline, reconnecting · As of ${time}`);
    const quota = decideState(
      facts({ status: status([stream('a', 'quota_exceeded')], { resumesAt: '2026-11-29T08:00:00Z' }) }),
      NOW,
    );
    expect(stateText(quota, 'ja-JP')).to.match(/^YouTube quota spent until /);
  });
});
