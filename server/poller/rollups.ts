// When the leader rolls samples up (sql/006, queries.ts rollUp): after a tick, once per new minute. It
// holds no state that matters: `rollups_done` in the database says what is done, so a crash, a restart
// or another instance taking over simply rolls up from there.
import type { Db } from '../db/db.ts';
import { rollUp } from './queries.ts';

export function createRollups(db: Pick<Db, 'transaction'>, now: () => Date) {
  /** The minute this instance last saw rolled up (ms); only spares a transaction per tick. */
  let done = 0;
  return async function rollUpIfDue(): Promise<void> {
    const at = now();
    const minute = Math.floor(at.getTime() / 60_000) * 60_000;
    if (minute <= done) return;
    const until = await rollUp(db, at);
    done = until ? until.getTime() : minute;
  };
}
