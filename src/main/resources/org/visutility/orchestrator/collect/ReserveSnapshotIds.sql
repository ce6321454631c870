-- Draws :count ids from metric_snapshot's identity sequence for snapshots COPYed with their ids (so
-- that their metric values can name them); returns them as runs of consecutive ids: one run unless
-- other sessions drew ids at the same time. Ids drawn by a batch that then rolls back are skipped,
-- as any identity's are. The sequence is looked up once (materialized): looked up per id, it cost
-- the server some 4 us an id, more than drawing the id.
WITH seq AS MATERIALIZED (
    SELECT CAST(pg_get_serial_sequence('orchestrator.metric_snapshot', 'id') AS regclass) AS id
), drawn AS (
    SELECT nextval(seq.id) AS id FROM seq CROSS JOIN generate_series(1, :count)
)
SELECT min(r.id) AS first_id, count(*) AS ids
  FROM (SELECT d.id, d.id - row_number() OVER (ORDER BY d.id) AS run FROM drawn d) r
 GROUP BY r.run
 ORDER BY first_id
