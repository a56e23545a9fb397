import { describe, expect, it } from 'vitest';
import { dbTrouble, refusedData, sqlstate } from './sqlstate.ts';

const err = (code: string) => Object.assign(new Error('simulated'), { code });

describe('database errors', () => {
  it.each([
    // class 08: connection exceptions
    ['08000', 'db_unavailable'],
    ['08001', 'db_unavailable'],
    ['08003', 'db_unavailable'],
    ['08004', 'db_unavailable'],
    ['08006', 'db_unavailable'],
    ['08P01', 'db_unavailable'],
    // class 53: insufficient resources
    ['53000', 'db_unavailable'],
    ['53100', 'db_unavailable'],
    ['53200', 'db_unavailable'],
    ['53300', 'db_unavailable'],
    ['53400', 'db_unavailable'],
    // class 57: operator intervention
    ['57014', 'db_timeout'],
    ['57P01', 'db_unavailable'],
    ['57P02', 'db_unavailable'],
    ['57P03', 'db_unavailable'],
    ['57P04', 'db_unavailable'],
    ['57P05', 'db_unavailable'],
    // class 58: system errors
    ['58000', 'db_unavailable'],
    ['58030', 'db_unavailable'],
    ['25006', 'db_unavailable'],
    // the server refused our login, or the database is gone
    ['28P01', 'db_unavailable'],
    ['28000', 'db_unavailable'],
    ['3D000', 'db_unavailable'],
    // class 55 and 40: try again in a moment
    ['55000', 'db_busy'],
    ['55006', 'db_busy'],
    ['55P03', 'db_busy'],
    ['40001', 'db_busy'],
    ['40P01', 'db_busy'],
    // the client's own connection failures (no SQLSTATE)
    ['CONNECT_TIMEOUT', 'db_unavailable'],
    ['CONNECTION_CLOSED', 'db_unavailable'],
    ['CONNECTION_ENDED', 'db_unavailable'],
    ['CONNECTION_DESTROYED', 'db_unavailable'],
    ['ECONNREFUSED', 'db_unavailable'],
    ['ECONNRESET', 'db_unavailable'],
    ['ETIMEDOUT', 'db_unavailable'],
  ])('%s is passing trouble: %s', (code, expected) => {
    expect(dbTrouble(err(code))).toBe(expected);
    expect(refusedData(err(code))).toBe(false);
  });

  it.each(['22003', '22021', '22P02', '23505', '23503', '23514', '42703', 'XX000'])(
    '%s is not passing trouble but a refusal',
    (code) => {
      expect(dbTrouble(err(code))).toBeNull();
      expect(refusedData(err(code))).toBe(true);
    },
  );

  it('errors without a SQLSTATE are neither (the statement may never have reached the server)', () => {
    for (const e of [new Error('boom'), err('ERR_SOMETHING'), null, undefined, 'text']) {
      expect(dbTrouble(e)).toBeNull();
      expect(refusedData(e)).toBe(false);
      expect(sqlstate(e)).toBeNull();
    }
  });
});
