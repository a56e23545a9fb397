-- Rollups built once a minute instead of on every tick. The statement-level triggers of 003 upserted
-- 4,000 rollup rows per 1,000-stream tick (most of a tick's write time, bench:poller). Now the poller
-- rolls each closed minute up from the raw rows, once, and a wider bucket (5, 15, 60 min) from its
-- minute rows when it closes (server/poller/rollups.ts). Readers are unchanged and exact at every moment:
-- sample_rollups and stream_sample_rollups become views, the stored closed buckets plus the open part
-- computed on the fly (the minute rows of the open wider buckets, and the raw rows not rolled up yet).
--
-- rollups_done.until (a whole minute): every raw row older than it is in the stored minute rows, and
-- a stored wider row exists only for a bucket that ended by then. A row written older than it later
-- (a write queue flushed after an outage, a former leader, a seed) is rolled up by the trigger below.

alter table sample_rollups rename to sample_rollups_closed;
alter table stream_sample_rollups rename to stream_sample_rollups_closed;

create table rollups_done (
  only_row boolean primary key default true check (only_row),
  until    timestamptz not null
);
insert into rollups_done (until) values (date_bin('1 minute', now(), timestamptz 'epoch'));

-- What 003's triggers kept is exact; only buckets still open at `until` leave the stored tables.
delete from sample_rollups_closed r using rollups_done d where r.bucket + r.width * interval '1 second' > d.until;
delete from stream_sample_rollups_closed r using rollups_done d where r.bucket + r.width * interval '1 second' > d.until;

drop trigger samples_roll_up on samples;
drop trigger stream_samples_roll_up on stream_samples;
drop function livepulse_roll_up_samples();
drop function livepulse_roll_up_stream_samples();

-- Rows older than `until` (rare) are added to the stored rows as 003's triggers did: to their minute, and
-- to each wider bucket that is already closed (an open one is summed from minute rows by the views). Only
-- rows really inserted are in `added` (a retried write that conflicts adds nothing), so nothing counts twice.
-- FOR SHARE waits for a roll-up in progress (which holds the row FOR UPDATE) and reads its new `until`.
-- The migration runner once split on semicolons at line ends: no line of a function body ends with one.
create function livepulse_roll_up_late_samples() returns trigger language plpgsql as $$
declare done timestamptz
; begin
  select until into done from rollups_done for share
  ; if not exists (select 1 from added where ts < done) then return null
  ; end if
  ; insert into sample_rollups_closed as r (event_id, width, bucket, n, sum, max)
  select a.event_id, w.width, date_bin(w.width * interval '1 second', a.ts, timestamptz 'epoch'),
         count(a.total), coalesce(sum(a.total), 0), max(a.total)
    from added a cross join (values (60), (300), (900), (3600)) as w(width)
   where date_bin(w.width * interval '1 second', a.ts, timestamptz 'epoch') + w.width * interval '1 second' <= done
   group by 1, 2, 3 order by 1, 2, 3
  on conflict (event_id, width, bucket) do update
    set n = r.n + excluded.n, sum = r.sum + excluded.sum, max = greatest(r.max, excluded.max)
  ; return null
; end
$$;

create function livepulse_roll_up_late_stream_samples() returns trigger language plpgsql as $$
declare done timestamptz
; begin
  select until into done from rollups_done for share
  ; if not exists (select 1 from added where ts < done) then return null
  ; end if
  ; insert into stream_sample_rollups_closed as r (event_id, stream_id, width, bucket, n, sum, max)
  select a.event_id, a.stream_id, w.width, date_bin(w.width * interval '1 second', a.ts, timestamptz 'epoch'),
         count(a.viewers), coalesce(sum(a.viewers), 0), max(a.viewers)
    from added a cross join (values (60), (300), (900), (3600)) as w(width)
   where date_bin(w.width * interval '1 second', a.ts, timestamptz 'epoch') + w.width * interval '1 second' <= done
   group by 1, 2, 3, 4 order by 1, 3, 4, 2
  on conflict (event_id, width, bucket, stream_id) do update
    set n = r.n + excluded.n, sum = r.sum + excluded.sum, max = greatest(r.max, excluded.max)
  ; return null
; end
$$;

create trigger samples_roll_up_late after insert on samples
  referencing new table as added for each statement execute function livepulse_roll_up_late_samples();

create trigger stream_samples_roll_up_late after insert on stream_samples
  referencing new table as added for each statement execute function livepulse_roll_up_late_stream_samples();

-- The readers' view: one row per (event, width, bucket) as before. Stored closed buckets, then the open
-- part: minute rows of wider buckets still open at `until`, and raw rows from `until` on.
create view sample_rollups as
select event_id, width, bucket, n, sum, max from sample_rollups_closed
union all
select event_id, width, bucket, sum(n)::int, sum(sum), max(max) from (
  select m.event_id, w.width, date_bin(w.width * interval '1 second', m.bucket, timestamptz 'epoch') as bucket,
         m.n, m.sum, m.max
    from sample_rollups_closed m cross join (values (300), (900), (3600)) as w(width)
   where m.width = 60 and m.bucket < (select until from rollups_done)
     and m.bucket >= date_bin(w.width * interval '1 second', (select until from rollups_done), timestamptz 'epoch')
  union all
  select s.event_id, w.width, date_bin(w.width * interval '1 second', s.ts, timestamptz 'epoch'),
         (s.total is not null)::int, coalesce(s.total, 0)::numeric, s.total
    from samples s cross join (values (60), (300), (900), (3600)) as w(width)
   where s.ts >= (select until from rollups_done)
) open
group by event_id, width, bucket;

create view stream_sample_rollups as
select event_id, stream_id, width, bucket, n, sum, max from stream_sample_rollups_closed
union all
select event_id, stream_id, width, bucket, sum(n)::int, sum(sum), max(max) from (
  select m.event_id, m.stream_id, w.width,
         date_bin(w.width * interval '1 second', m.bucket, timestamptz 'epoch') as bucket, m.n, m.sum, m.max
    from stream_sample_rollups_closed m cross join (values (300), (900), (3600)) as w(width)
   where m.width = 60 and m.bucket < (select until from rollups_done)
     and m.bucket >= date_bin(w.width * interval '1 second', (select until from rollups_done), timestamptz 'epoch')
  union all
  select s.event_id, s.stream_id, w.width, date_bin(w.width * interval '1 second', s.ts, timestamptz 'epoch'),
         (s.viewers is not null)::int, coalesce(s.viewers, 0)::numeric, s.viewers
    from stream_samples s cross join (values (60), (300), (900), (3600)) as w(width)
   where s.ts >= (select until from rollups_done)
) open
group by event_id, stream_id, width, bucket;
