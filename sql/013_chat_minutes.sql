-- Chat activity (issue 16): per YouTube stream the organiser enables, the live chat's messages per whole
-- minute, read by the poller's leader through InnerTube. Only minutes read from start to end are stored
-- (a failed read is a gap, never a 0); a minute is written with an upsert of the same figure, so a restart
-- or a second reader during a failover never counts it twice.
alter table streams
  add column chat_enabled boolean not null default false,
  -- What reading the chat gives now: pending (not read yet), ok, disabled, members_only, unavailable.
  add column chat_state text not null default 'pending'
    check (chat_state in ('pending', 'ok', 'disabled', 'members_only', 'unavailable')),
  add column chat_reason text check (chat_reason is null or length(chat_reason) <= 300),
  add constraint streams_chat_youtube check (not chat_enabled or platform = 'youtube');

create table chat_minutes (
  event_id  text not null references events(id) on delete cascade,
  stream_id text not null references streams(id) on delete cascade,
  minute    timestamptz not null check (minute = date_trunc('minute', minute)),
  messages  int not null check (messages >= 0),
  primary key (stream_id, minute)
);

-- History and CSV read an event's minutes in a window.
create index chat_minutes_event_minute on chat_minutes (event_id, minute);
