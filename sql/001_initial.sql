-- Initial schema. Timestamps are timestamptz (UTC on the wire); ids are short random text so
-- no 64-bit integer ever has to cross into JavaScript.

create table events (
  id            text primary key,
  name          text not null check (length(name) between 1 and 200),
  public        boolean not null default false,
  paused        boolean not null default false,
  starts_at     timestamptz,
  ends_at       timestamptz,
  embed_key     text not null,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

create table streams (
  id             text primary key,
  event_id       text not null references events(id) on delete cascade,
  video_id       text not null check (video_id ~ '^[A-Za-z0-9_-]{11}$'),
  label          text not null default '' check (length(label) <= 200),
  position       integer not null default 0,
  status         text not null default 'pending',
  status_reason  text,
  scheduled_start timestamptz,
  title          text,
  channel_title  text,
  viewers        integer,
  misses         integer not null default 0,
  last_polled_at timestamptz,
  updated_at     timestamptz,
  created_at     timestamptz not null default now(),
  unique (event_id, video_id)
);
create index streams_video_id on streams (video_id);

-- One row per event per tick: the sum of the counts YouTube returned in that tick.
create table samples (
  event_id  text not null references events(id) on delete cascade,
  ts        timestamptz not null,
  total     integer not null,
  primary key (event_id, ts)
);

-- One row per stream per tick; viewers is null when YouTube gave no count (hidden), never 0.
create table stream_samples (
  event_id  text not null references events(id) on delete cascade,
  stream_id text not null references streams(id) on delete cascade,
  ts        timestamptz not null,
  viewers   integer,
  primary key (event_id, stream_id, ts)
);
create index stream_samples_event_ts on stream_samples (event_id, ts);

create table export_jobs (
  id            text primary key,
  event_id      text not null references events(id) on delete cascade,
  kind          text not null check (kind in ('total', 'streams', 'stream')),
  stream_id     text,
  range_from    timestamptz not null,
  range_to      timestamptz not null,
  delimiter     text not null default ',',
  bom           boolean not null default false,
  state         text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  error         text,
  rows_expected integer,
  rows_written  integer not null default 0,
  file_name     text,
  claimed_by    text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  expires_at    timestamptz not null
);
create index export_jobs_state on export_jobs (state, created_at);

-- YouTube quota units spent per Pacific-time day.
create table quota_usage (
  day    date primary key,
  units  integer not null default 0
);

create table used_magic_links (
  jti        text primary key,
  used_at    timestamptz not null default now(),
  expires_at timestamptz not null
);

create table login_failures (
  address    text not null,
  failed_at  timestamptz not null default now()
);
create index login_failures_address on login_failures (address, failed_at);
