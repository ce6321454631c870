-- Draws :count ids from metric_snapshot's identity sequence for snapshots COPYed with their ids (so
-- that their metric values can name them); returns them as runs of consecutive ids: one run unless
-- other sessions drew ids at the same time. Ids drawn by a batch that then rolls back are skipped,
-- as any identity's are. The sequence is looked up once (materialized): looked up per id, it cost
-- the server some 4 us an id, more than drawing the id. The ids drawn are one run when their span
-- has no holes (the usual case): numbering and grouping them, a sort of every id drawn, cost the
-- server as much again as drawing them, so it is done only when the span has holes.
WITH seq AS MATERIALIZED (
    SELECT CAST(pg_get_serial_sequence('orchestrator.metric_snapshot', 'id') AS regclass) AS id
), drawn AS MATERIALIZED (
    SELECT nextval(seq.id) AS id FROM seq CROSS JOIN generate_series(1, :count)
), span AS (
    SELECT min(d.id) AS first_id, max(d.id) AS last_id, count(*) AS ids FROM drawn d
)
SELECT s.first_id, s.ids FROM span s WHERE s.last_id - s.first_id + 1 = s.ids
UNION ALL
SELECT *
  FROM (SELECT min(r.id) AS first_id, count(*) AS ids
          FROM (SELECT d.id, d.id - row_number() OVER (ORDER BY d.id) AS run FROM drawn d) r
         WHERE (SELECT s.last_id - s.first_id + 1 <> s.ids FROM span s)
         GROUP BY r.run
         ORDER BY first_id) runs
