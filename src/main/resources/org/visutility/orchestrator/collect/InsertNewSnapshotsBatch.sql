-- Opens the ingest_batch row of a batch COPYed straight in (NewSnapshotsCopy); its size is set when
-- it closes (a streamed file's is not known yet). Also returns the transaction's now(): what the
-- snapshots get as ingested_at (the column's default), and as settled_at when final when recorded,
-- as InsertSnapshots writes now().
INSERT INTO orchestrator.ingest_batch (channel, origin, snapshot_count, item_kind)
VALUES (:channel, :origin, 0, :itemKind)
RETURNING id, now() AS started_at
