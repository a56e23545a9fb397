-- The webhook occurrences of sql/009, recorded by a row trigger that fires only when a stream's status
-- changes. 009's statement trigger captured the old and new rows of every `update streams` (the poller's
-- tick writes all 1,000 of them every tick) and joined them: about 60 ms of a 1,000-stream tick on
-- PostgreSQL (bench:poller, write tx p50 104 -> 48 ms without it). Status changes are rare; the same
-- occurrence keys keep one delivery per webhook and occurrence (one quota occurrence per event and day).
drop trigger streams_webhook_occurrences on streams;
drop function livepulse_webhook_occurrences();

-- The migration runner splits on semicolons at line ends, so no line of a function body ends with one.
create function livepulse_webhook_occurrence() returns trigger language plpgsql as $$
declare
  what text := case
    when new.status in ('live', 'live_hidden') and old.status not in ('live', 'live_hidden') then 'stream.live'
    when new.status = 'ended' then 'stream.ended'
    when new.status = 'unavailable' then 'stream.unavailable'
    when new.status = 'quota_exceeded' then 'quota.exhausted'
  end
  ; changed_at timestamptz := coalesce(new.updated_at, now())
; begin
  if what is null then return null
  ; end if
  ; insert into webhook_deliveries (webhook_id, occurrence, type, payload)
  select w.id,
         what || ':' || case when what = 'quota.exhausted'
                             then new.event_id || ':' || to_char(now() at time zone 'America/Los_Angeles', 'YYYY-MM-DD')
                             else new.id || ':' || (extract(epoch from changed_at) * 1000)::bigint::text end,
         what,
         jsonb_build_object('eventId', new.event_id, 'at', changed_at,
           'stream', jsonb_build_object('id', new.id, 'label', new.label, 'videoId', new.video_id,
                                        'status', new.status, 'reason', new.status_reason))
    from webhooks w
   where w.event_id = new.event_id and what = any(w.wants)
  on conflict (webhook_id, occurrence) do nothing
  ; return null
; end
$$;

create trigger streams_webhook_occurrence after update of status on streams
  for each row when (old.status is distinct from new.status)
  execute function livepulse_webhook_occurrence();
