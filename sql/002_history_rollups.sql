-- Per-minute rollups of the samples, so a chart over days reads thousands of rows instead of a million.
-- Kept by statement-level triggers (one set-based upsert per INSERT statement, whoever inserts), and exact:
-- a bucket's average is sum(sum)/sum(n) and its peak max(max) over whole minutes of the same epoch grid.
-- n counts non-null values only: a minute whose counts were all hidden has n = 0 and max null.
-- Superseded by 003, which drops these tables, functions and triggers for rollups at four widths.

create table sample_minutes (
  event_id  text not null references events(id) on delete cascade,
  minute    timestamptz not null,
  n         integer not null,
  sum       bigint not null,
  max       integer,
  primary key (event_id, minute)
);

create table stream_sample_minutes (
  event_id  text not null references events(id) on delete cascade,
  stream_id text not null references streams(id) on delete cascade,
  minute    timestamptz not null,
  n         integer not null,
  sum       bigint not null,
  max       integer,
  primary key (event_id, minute, stream_id)
);

-- The `; return null` / `; end` layout is left from an early runner that split files on semicolons at line
-- ends; the runner sends each file whole as one script (Db.exec), so it is only a style now.
create function livepulse_roll_up_samples() returns trigger language plpgsql as $$
begin
  insert into sample_minutes as m (event_id, minute, n, sum, max)
  select event_id, date_bin('1 minute', ts, timestamptz 'epoch'), count(total), coalesce(sum(total), 0), max(total)
    from added group by 1, 2 order by 1, 2
  on conflict (event_id, minute) do update
    set n = m.n + excluded.n, sum = m.sum + excluded.sum, max = greatest(m.max, excluded.max)
  ; return null
; end
$$;

create function livepulse_roll_up_stream_samples() returns trigger language plpgsql as $$
begin
  insert into stream_sample_minutes as m (event_id, stream_id, minute, n, sum, max)
  select event_id, stream_id, date_bin('1 minute', ts, timestamptz 'epoch'), count(viewers), coalesce(sum(viewers), 0), max(viewers)
    from added group by 1, 2, 3 order by 1, 3, 2
  on conflict (event_id, minute, stream_id) do update
    set n = m.n + excluded.n, sum = m.sum + excluded.sum, max = greatest(m.max, excluded.max)
  ; return null
; end
$$;

create trigger samples_roll_up after insert on samples
  referencing new table as added for each statement execute function livepulse_roll_up_samples();

create trigger stream_samples_roll_up after insert on stream_samples
  referencing new table as added for each statement execute function livepulse_roll_up_stream_samples();

insert into sample_minutes (event_id, minute, n, sum, max)
select event_id, date_bin('1 minute', ts, timestamptz 'epoch'), count(total), coalesce(sum(total), 0), max(total)
  from samples group by 1, 2;

insert into stream_sample_minutes (event_id, stream_id, minute, n, sum, max)
select event_id, stream_id, date_bin('1 minute', ts, timestamptz 'epoch'), count(viewers), coalesce(sum(viewers), 0), max(viewers)
  from stream_samples group by 1, 2, 3;
