import { openPostgres } from './server/db/postgres.ts';
import { csvChunks } from './server/history/csv.ts';
const db = openPostgres('postgres://postgres@127.0.0.1:5432/lp_scratch');
await db.query('create index if not exists stream_samples_export on stream_samples (event_id, ts, stream_id) include (viewers)');
await db.query('vacuum analyze stream_samples');
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  let n = 0, bytes = 0;
  for await (const c of csvChunks(db, { eventId: 'bench', kind: 'streams', window: { from: new Date('2024-05-01T00:00:00Z'), to: new Date('2024-05-08T00:00:00Z') }, delimiter: ',', bom: false, batch: 100000 })) { n++; bytes += c.length; }
  const s = (performance.now() - t) / 1000;
  console.log({ chunks: n, mb: (bytes / 2 ** 20).toFixed(1), s: s.toFixed(2), rowsPerS: Math.round(1209600 / s) });
}
await db.close();
