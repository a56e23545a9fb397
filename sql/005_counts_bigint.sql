-- Viewer counts are bigint end to end. YouTube sends concurrentViewers as a uint64 string and the
-- drift check admits up to 15 digits (exact as a JS number); an integer column refused anything past
-- 2,147,483,647 and the refused tick blocked every tick behind it (issue 13). Rollup sums become
-- numeric so an hour of the largest admitted totals cannot overflow either. Readers get numbers: the
-- postgres client parses int8 as a JS number (server/db/postgres.ts), PGlite already does.
-- The statement-level rollup triggers of 003 need no change: their sum/max follow the column types.
alter table samples alter column total type bigint;
alter table stream_samples alter column viewers type bigint;
alter table streams alter column viewers type bigint;
alter table sample_rollups alter column max type bigint, alter column sum type numeric;
alter table stream_sample_rollups alter column max type bigint, alter column sum type numeric;
