// Milestones from the ticks this instance publishes: each tick's totals go to the database, which
// records each milestone once (sql/008's primary key); only the milestones this instance's insert won
// are published, to every instance through the bus. A restart, a second instance or a poller that
// took over tries the same inserts and publishes nothing twice. Fed from the publish path
// (services.ts), so the poller is untouched.
import type { Queryable } from '../db/db.ts';
import { log } from '../log.ts';
import type { Bus } from '../realtime/bus.ts';
import type { SampleMessage } from '../wire.ts';
import { recordMilestones } from './queries.ts';

export function createMilestoneRecorder(deps: { db: Queryable; bus: Pick<Bus, 'publishMilestones'> }) {
  let running: Promise<void> = Promise.resolve();
  return {
    /** One tick's samples; ticks are recorded one after another, in order. */
    tick(ts: Date, samples: Map<string, SampleMessage>): Promise<void> {
      const totals = [...samples].map(([eventId, s]) => ({ eventId, total: s.total }));
      running = running.then(async () => {
        try {
          await deps.bus.publishMilestones(await recordMilestones(deps.db, ts, totals));
        } catch (error) {
          // Database down: the next tick that still reaches a threshold records it then.
          log('warn', 'milestones_unrecorded', String(error));
        }
      });
      return running;
    },
  };
}
