-- The monthly partitions for every month from :oldest to :newest.
SELECT count(orchestrator.ensure_snapshot_partition(m))
  FROM generate_series(date_trunc('month', :oldest AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', :newest, interval '1 month') m
