-- Benchmark only (a scratch database nobody else writes to): reserves :count snapshot ids and
-- returns the last one, so that the raw COPY baseline can write ids itself.
SELECT setval(pg_get_serial_sequence('orchestrator.metric_snapshot', 'id'),
              nextval(pg_get_serial_sequence('orchestrator.metric_snapshot', 'id')) + :count - 1)
