-- Webhooks (issue 17): per event, URLs told when a stream goes live, ends or becomes unavailable, or the
-- quota is spent. What happened is recorded by a trigger in the same transaction as the status change
-- (whichever instance polls), one row per webhook and occurrence: the unique key makes a second record
-- of the same occurrence a no-op, and senders claim rows with SKIP LOCKED, so each is sent once.

create table webhooks (
  id          text primary key,
  event_id    text not null references events(id) on delete cascade,
  url         text not null check (length(url) between 8 and 2000),
  kind        text not null check (kind in ('json', 'discord', 'slack')),
  wants       text[] not null check (cardinality(wants) between 1 and 5),
  secret      text not null,
  created_at  timestamptz not null default now()
);
create index webhooks_event on webhooks (event_id);

create table webhook_deliveries (
  id           bigint generated always as identity primary key,
  webhook_id   text not null references webhooks(id) on delete cascade,
  -- The type, then what makes this occurrence itself: the stream and the time of its change, or the day.
  occurrence   text not null,
  type         text not null,
  payload      jsonb not null,
  state        text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  attempts     integer not null default 0,
  -- When it may be tried (again); a claim moves it a lease ahead, so no other sender takes it meanwhile.
  next_at      timestamptz not null default now(),
  last_status  integer,
  last_error   text,
  created_at   timestamptz not null default now(),
  delivered_at timestamptz,
  unique (webhook_id, occurrence)
);
create index webhook_deliveries_due on webhook_deliveries (next_at) where state = 'pending';
create index webhook_deliveries_recent on webhook_deliveries (webhook_id, created_at desc);

-- The migration runner splits on semicolons at line ends, so no line of a function body ends with one.
create function livepulse_webhook_occurrences() returns trigger language plpgsql as $$
begin
  insert into webhook_deliveries (webhook_id, occurrence, type, payload)
  select distinct on (w.id, c.occurrence) w.id, c.occurrence, c.type, c.payload
    from (
      select t.event_id, t.type, t.payload,
             t.type || ':' || case when t.type = 'quota.exhausted'
                                   then t.event_id || ':' || to_char(now() at time zone 'America/Los_Angeles', 'YYYY-MM-DD')
                                   else t.stream_id || ':' || (extract(epoch from t.changed_at) * 1000)::bigint::text end as occurrence
        from (
          select n.event_id, n.id as stream_id, coalesce(n.updated_at, now()) as changed_at,
                 case when n.status in ('live', 'live_hidden') and o.status not in ('live', 'live_hidden') then 'stream.live'
                      when n.status = 'ended' and o.status <> 'ended' then 'stream.ended'
                      when n.status = 'unavailable' and o.status <> 'unavailable' then 'stream.unavailable'
                      when n.status = 'quota_exceeded' and o.status <> 'quota_exceeded' then 'quota.exhausted'
                 end as type,
                 jsonb_build_object('eventId', n.event_id, 'at', coalesce(n.updated_at, now()),
                   'stream', jsonb_build_object('id', n.id, 'label', n.label, 'videoId', n.video_id,
                                                'status', n.status, 'reason', n.status_reason)) as payload
            from new_streams n join old_streams o on o.id = n.id
        ) t
       where t.type is not null
    ) c
    join webhooks w on w.event_id = c.event_id and c.type = any(w.wants)
   order by w.id, c.occurrence
  on conflict (webhook_id, occurrence) do nothing
  ; return null
; end
$$;

create trigger streams_webhook_occurrences after update on streams
  referencing old table as old_streams new table as new_streams
  for each statement execute function livepulse_webhook_occurrences();
