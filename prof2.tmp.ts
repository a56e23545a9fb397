import postgres from 'postgres';
const sql = postgres('postgres://postgres@127.0.0.1:5432/lp_scratch', { onnotice: () => {} });
const q = `select stream_id, date_bin($2::int * interval '1 second', bucket, timestamptz 'epoch') as ts, sum(sum)::float8 / nullif(sum(n), 0) as viewers, max(max) as max
  from stream_sample_rollups where event_id = $1 and width = 300 and bucket >= $3 and bucket < $4 group by 1, 2 order by 2`;
const args = ['bench', 900, new Date('2024-05-01T00:00:00Z'), new Date('2024-05-08T00:00:00Z')];
for (let i = 0; i < 5; i++) {
  let t = performance.now(); await sql.unsafe(q, args); const a = performance.now() - t;
  t = performance.now(); await sql.unsafe(q, args).raw(); const b = performance.now() - t;
  t = performance.now(); await sql.unsafe(`explain analyze ${q}`, args); const c = performance.now() - t;
  console.log(a.toFixed(1), b.toFixed(1), c.toFixed(1));
}
console.log((await sql.unsafe(`explain analyze ${q}`, args)).map((r) => r['QUERY PLAN']).join('\n'));
await sql.end();
