-- Marks the given current revisions (locked by LockChangedRevisions) and their metric values
-- superseded at :at, the instant their next revisions are recorded; nothing is overwritten.
WITH old AS (
    SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:observedAts AS timestamptz[])) AS o (id, observed_at)
), superseded AS (
    UPDATE orchestrator.metric_snapshot x
       SET superseded_at = :at
      FROM old o
     WHERE x.id = o.id AND x.observed_at = o.observed_at AND x.superseded_at IS NULL
    RETURNING x.id, x.observed_at
), superseded_values AS (
    UPDATE orchestrator.metric_value v
       SET superseded_at = :at
      FROM superseded o
     WHERE v.snapshot_id = o.id AND v.observed_at = o.observed_at
)
SELECT count(*) FROM superseded
