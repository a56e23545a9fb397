-- Milestone webhooks (issues 16 and 17): each milestone row is inserted once across instances (its
-- primary key decides), so a trigger on that insert records one delivery per webhook that wants
-- `milestone`, in the same transaction; the senders take it from there like any other occurrence.

-- The migration runner splits on semicolons at line ends, so no line of a function body ends with one.
create function livepulse_milestone_occurrences() returns trigger language plpgsql as $$
begin
  insert into webhook_deliveries (webhook_id, occurrence, type, payload)
  select w.id, 'milestone:' || m.kind || ':' || m.slot::text, 'milestone',
         jsonb_build_object('eventId', m.event_id, 'at', m.ts,
           'milestone', jsonb_build_object('kind', m.kind, 'value', m.value, 'ts', m.ts))
    from new_milestones m
    join webhooks w on w.event_id = m.event_id and 'milestone' = any(w.wants)
  on conflict (webhook_id, occurrence) do nothing
  ; return null
; end
$$;

create trigger milestones_webhook_occurrences after insert on milestones
  referencing new table as new_milestones
  for each statement execute function livepulse_milestone_occurrences();
