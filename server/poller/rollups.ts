// When the leader rolls samples up (sql/006, queries.ts rollUp): after a tick, once per new minute. It
// holds no state that matters: `rollups_done` in the database says what is done, so a crash, a restart
// or another instance taking over simply rolls up from there. Until it runs, readers lose nothing: the
// rollup views add what is not rolled up yet from the raw rows.
import type { Db } from '../db/db.ts';
import { log } from '../log.ts';
import { rollUp } from './queries.ts';

export function createRollups(db: Pick<Db, 'transaction'>, now: () => Date) {
  /** The minute this instance last saw rolled up (ms); only spares a transaction per tick. */
  let done = 0;
  let failing = false;
  return async function rollUpIfDue(): Promise<void> {
    const at = now();
    const minute = Math.floor(at.getTime() / 60_000) * 60_000;
    if (minute <= done) return;
    let until: Date | null;
    try {
      until = await rollUp(db, at);
    } catch (error) {
      // Once per outage, not once per tick: the next tick tries again.
      if (!failing)
        log('warn', 'rollup_failed', `rolling samples up failed, retried after the next tick: ${String(error)}`);
      failing = true;
      return;
    }
    failing = false;
    done = until ? until.getTime() : minute;
  };
}
