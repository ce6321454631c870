-- How many distinct natural keys the staged snapshots have.
SELECT count(*) FROM (SELECT DISTINCT model, version, observed_at, segment, source FROM pg_temp.snapshot_staging) k
