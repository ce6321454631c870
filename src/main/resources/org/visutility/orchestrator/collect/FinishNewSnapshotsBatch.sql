-- Closes a batch COPYed straight in (NewSnapshotsCopy) in one statement: it held :count snapshots,
-- all new; and orchestrator.snapshot_latest follows it through orchestrator.keep_snapshot_latest
-- (as after the staging path's merge, UpdateSnapshotLatest), given the newest key of each model
-- version and segment the batch touched as arrays (observed_at in epoch microseconds).
WITH latest AS (
    SELECT orchestrator.keep_snapshot_latest(
               CAST(:versions AS bigint[]),
               CAST(:segments AS text[]),
               ARRAY(SELECT timestamptz 'epoch' + o.us * interval '1 microsecond'
                       FROM unnest(CAST(:observed_us AS bigint[])) WITH ORDINALITY AS o (us, n)
                      ORDER BY o.n),
               CAST(:sources AS text[])) AS kept
)
UPDATE orchestrator.ingest_batch b
   SET snapshot_count = :count, inserted_count = :count, revised_count = 0
  FROM latest
 WHERE b.id = :batch
