-- Sources (issue 15): a stream is a YouTube video, a YouTube channel followed to its current live video,
-- or a Twitch channel; each sample says which source produced it. Existing rows are YouTube videos.
alter table streams
  add column platform text not null default 'youtube' check (platform in ('youtube', 'twitch')),
  -- What was pasted, normalised (youtube.com/@name, twitch.tv/name, or the video link); null for old rows.
  add column target text check (target is null or length(target) <= 300),
  -- A channel link: video_id is the video it resolved to last (null while the channel is offline).
  add column follows boolean not null default false,
  -- When a followed channel was last resolved to its live video (its /live page asked), null: never.
  add column resolved_at timestamptz,
  add column login text check (login is null or login ~ '^[a-z0-9][a-z0-9_]{3,24}$'),
  -- The source that answered last ('api', 'innertube', 'twitch'), and why that one (shown in the admin).
  add column source text check (source is null or source in ('api', 'innertube', 'twitch')),
  add column source_reason text check (source_reason is null or length(source_reason) <= 300);

alter table streams alter column video_id drop not null;

alter table streams add constraint streams_platform_target check (
  (platform = 'youtube' and login is null and (video_id is not null or follows))
  or (platform = 'twitch' and login is not null and video_id is null)
);

alter table stream_samples
  add column source text check (source is null or source in ('api', 'innertube', 'twitch'));

-- The same Twitch channel or the same followed YouTube channel once per event (videos already are).
create unique index streams_event_login on streams (event_id, login) where login is not null;
create unique index streams_event_target on streams (event_id, target) where follows;
