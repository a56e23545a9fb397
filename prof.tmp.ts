import { openPostgres } from './server/db/postgres.ts';
import { migrate } from './server/db/migrate.ts';
import { readHistory } from './server/history/read-history.ts';
const db = openPostgres('postgres://postgres@127.0.0.1:5432/lp_scratch');
console.log(await migrate(db));
await db.query('vacuum analyze');
const w = { from: new Date('2024-05-01T00:00:00Z'), to: new Date('2024-05-08T00:00:00Z') };
for (const streams of [false, true]) {
  const times: number[] = []; const json: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const h = await readHistory(db, 'bench', w, { streams, maxPoints: 1000 });
    const t2 = performance.now();
    JSON.stringify(h);
    times.push(t2 - t); json.push(performance.now() - t2);
  }
  times.sort((a, b) => a - b); json.sort((a, b) => a - b);
  console.log({ streams, read: times[10].toFixed(1), json: json[10].toFixed(1) });
}
await db.close();
