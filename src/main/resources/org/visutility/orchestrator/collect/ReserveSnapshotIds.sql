-- Draws :count ids from metric_snapshot's identity sequence for snapshots COPYed with their ids (so
-- that their metric values can name them); returns them as runs of consecutive ids: one run unless
-- other sessions drew ids at the same time. Ids drawn by a batch that then rolls back are skipped,
-- as any identity's are.
WITH drawn AS (
    SELECT nextval(pg_get_serial_sequence('orchestrator.metric_snapshot', 'id')) AS id
      FROM generate_series(1, :count)
)
SELECT min(r.id) AS first_id, count(*) AS ids
  FROM (SELECT d.id, d.id - row_number() OVER (ORDER BY d.id) AS run FROM drawn d) r
 GROUP BY r.run
 ORDER BY first_id
