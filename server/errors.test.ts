import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError, errorResponse } from './errors.ts';

describe('errorResponse', () => {
  const app = new Hono();
  app.get('/field', (c) => errorResponse(c, new ApiError(400, 'validation_error', 'minutes: too many', 'minutes')));
  app.get('/busy', (c) =>
    errorResponse(c, new ApiError(503, 'db_unavailable', 'Try again', undefined, { 'Retry-After': '5' })),
  );

  it('writes {error: {code, message, field}} with the status', async () => {
    const res = await app.request('/field');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: { code: 'validation_error', message: 'minutes: too many', field: 'minutes' },
    });
  });

  it('leaves out an absent field and sends the error headers', async () => {
    const res = await app.request('/busy');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ error: { code: 'db_unavailable', message: 'Try again' } });
  });

  // The simulator writes YouTube's error bodies, not ours; wire.ts declares the shape's type.
  it('is the only code that writes the error JSON', () => {
    const product = execFileSync('git', ['ls-files', 'server/*.ts'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && f !== 'server/wire.ts' && !/\.test\.ts$|\/testing\/|^server\/simulator\//.test(f));
    const writers = product.filter((f) => /\berror:\s*\{\s*code\b/.test(readFileSync(f, 'utf8')));
    expect(writers).toEqual(['server/errors.ts']);
  });
});
