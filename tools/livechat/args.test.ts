import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.ts';

const ID = 'dQw4w9WgXcQ';
const parse = (...argv: string[]) => parseCliArgs(argv, '/data');

describe('parseCliArgs', () => {
  it('defaults to <VIDEO_ID>_livechat.json in the working directory, no limit, 0.5 s pacing', () => {
    expect(parse(`https://www.youtube.com/watch?v=${ID}`)).toEqual({
      kind: 'run',
      options: {
        videoId: ID,
        outPath: `/data/${ID}_livechat.json`,
        format: 'json',
        maxMessages: undefined,
        sleepMs: 500,
      },
    });
  });

  it('switches the default name to .ndjson with --ndjson', () => {
    const result = parse(`https://youtu.be/${ID}`, '--ndjson');
    expect(result).toMatchObject({
      kind: 'run',
      options: { format: 'ndjson', outPath: `/data/${ID}_livechat.ndjson` },
    });
  });

  it('takes the output path and max_messages positionally, options anywhere', () => {
    const result = parse('--sleep-sec', '2', `https://www.youtube.com/live/${ID}`, 'out/chat.json', '250', '--ndjson');
    expect(result).toEqual({
      kind: 'run',
      options: { videoId: ID, outPath: '/data/out/chat.json', format: 'ndjson', maxMessages: 250, sleepMs: 2000 },
    });
  });

  it('keeps an absolute output path as given', () => {
    expect(parse(ID, '/tmp/x.json')).toMatchObject({ options: { outPath: '/tmp/x.json' } });
  });

  it('refuses a link that is not a video with the shared parser’s message', () => {
    const result = parse('https://www.youtube.com/@somechannel');
    expect(result).toMatchObject({ kind: 'error' });
    expect(result.kind === 'error' && result.message).toMatch(/channel link/);
  });

  it.each([
    [[ID, 'o.json', '0'], /max_messages must be a whole number from 1/],
    [[ID, 'o.json', '-5'], /Unknown option|max_messages/],
    [[ID, 'o.json', '2.5'], /max_messages must be a whole number/],
    [[ID, '--sleep-sec', 'soon'], /--sleep-sec must be a number of seconds from 0 to 60/],
    [[ID, '--sleep-sec', '61'], /--sleep-sec must be a number of seconds from 0 to 60/],
    [[ID, '--sleepsec', '1'], /Unknown option '--sleepsec'/],
    [[], /expected 1 to 3 arguments, got 0/],
    [[ID, 'a', '1', 'extra'], /expected 1 to 3 arguments, got 4/],
  ])('refuses %j', (argv, message) => {
    const result = parse(...argv);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toMatch(message);
  });

  it('accepts --sleep-sec 0 for no pause and fractions of a second', () => {
    expect(parse(ID, '--sleep-sec', '0')).toMatchObject({ options: { sleepMs: 0 } });
    expect(parse(ID, '--sleep-sec=0.25')).toMatchObject({ options: { sleepMs: 250 } });
  });

  it('answers --help', () => {
    expect(parse('--help')).toEqual({ kind: 'help' });
  });
});
