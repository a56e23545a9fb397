// For server/db/postgres-crash.test.ts only: a child process that kills its own PostgreSQL backends while
// a write is buffered on them (the crash of porsager/postgres#1208 exits the process, so it cannot run
// inside the test runner), then checks the pool answers again. Prints one JSON line of what happened.
// It drives postgres.js directly (its own `sql` tag) where the crash needs it; our `sql` is imported as `lp`.
import postgres from 'postgres';
import { openPostgres } from '../postgres.ts';
import { sql as lp } from '../sql.ts';

const url = process.env.CRASH_DATABASE_URL!;
const scenario = process.argv[2];
const admin = postgres(url, { max: 1, onnotice: () => {} });
const settle = <T>(p: Promise<T>, ms = 5000) =>
  Promise.race([
    p.then(
      () => 'ok',
      (e: { code?: string; message?: string }) => `rejected ${e.code ?? e.message}`,
    ),
    new Promise<string>((r) => setTimeout(() => r('hung'), ms)),
  ]);
const result: Record<string, unknown> = { scenario };

if (scenario === 'reserved') {
  // A reserved connection whose backend dies, then queried: the query's message is buffered for
  // setImmediate(nextWrite) on a connection whose socket is gone.
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const conn = await sql.reserve();
  const [{ pid }] = await conn`select pg_backend_pid() as pid`;
  await admin`select pg_terminate_backend(${pid})`;
  await new Promise((r) => setTimeout(r, 300));
  result.deadQuery = await settle(conn`select 1`);
  conn.release();
  result.after = await Promise.all([1, 2, 3].map(() => settle(sql`select 1`)));
  await sql.end({ timeout: 1 });
} else {
  // The app's CSV path: a big COPY stalled by back-pressure (the reader stops), its backend terminated,
  // then the reader goes away: the COPY is settled and `reset all` runs on the reserved connection.
  const db = openPostgres(url, { max: 1, copyMax: 1 }); // one COPY connection: a leaked reservation would hang the next COPY
  const copy = db.copyCsv(lp`select g, repeat('x', 200) from generate_series(1, 3000000) g`)[Symbol.asyncIterator]();
  await copy.next();
  await new Promise((r) => setTimeout(r, 500)); // socket buffers fill, the backend blocks on its send
  const rows =
    await admin`select pid from pg_stat_activity where application_name like 'livepulse%' and query like 'copy%'`;
  await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'livepulse%' and query like 'copy%'`;
  result.killed = rows.length;
  await new Promise((r) => setTimeout(r, 300));
  result.copyEnd = await settle(copy.return!(undefined) as Promise<unknown>);
  const smallCopy = async () => {
    for await (const chunk of db.copyCsv(lp`select 1`)) void chunk;
  };
  result.after = [
    ...(await Promise.all([1, 2, 3].map(() => settle(db.query(lp`select 1`))))),
    await settle(smallCopy()),
  ];
  await db.close();
}
await admin.end();
console.log(JSON.stringify(result));
