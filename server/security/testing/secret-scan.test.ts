import { describe, expect, it } from 'vitest';
import { findSecrets, responseHaystack } from './secret-scan.ts';

// Built at run time: a key-shaped literal in the repo would look like a committed key to every scanner.
const FAKE_GOOGLE_KEY = ['AI', 'za', 'SyA1234567890abcdefghijklmnopqrstuv'].join('');

const secrets = { ADMIN_PASSWORD: 'pa ss/word+123', AUTH_SECRET: 'x'.repeat(40) };

describe('findSecrets', () => {
  it.each([
    ['as written', 'body: pa ss/word+123'],
    ['URL-encoded', '/login?p=pa%20ss%2Fword%2B123'],
    ['base64', `Basic ${Buffer.from('pa ss/word+123').toString('base64')}`],
    ['JSON-escaped', JSON.stringify({ p: 'pa ss/word+123' })],
  ])('finds a secret %s', (_name, text) => {
    expect(findSecrets([{ where: 'here', text }], secrets)).toEqual(['ADMIN_PASSWORD in here']);
  });

  it('finds anything shaped like a Google API key, named or not', () => {
    expect(findSecrets([{ where: 'bundle', text: `const k="${FAKE_GOOGLE_KEY}"` }], {})).toEqual([
      'a Google API key in bundle',
    ]);
  });

  it('reports nothing for clean text and ignores empty secrets', () => {
    expect(findSecrets([{ where: 'page', text: 'password: [redacted]' }], { ...secrets, YT_API_KEY: '' })).toEqual([]);
  });

  it('reads headers as well as the body of a response', async () => {
    const res = new Response('ok', { headers: { 'set-cookie': `s=${secrets.AUTH_SECRET}` } });
    expect(findSecrets([await responseHaystack('GET /', res)], secrets)).toEqual(['AUTH_SECRET in GET /']);
  });
});
