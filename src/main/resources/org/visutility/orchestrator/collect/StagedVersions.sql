-- What the staging table holds once rows were dropped from it: each (model, version) with its newest
-- observation and how many snapshots.
SELECT s.model, s.version, max(s.observed_at) AS newest, count(*) AS snapshots
  FROM pg_temp.snapshot_staging s
 GROUP BY s.model, s.version
 ORDER BY min(s.position)
