INSERT INTO orchestrator.ingest_batch (channel, origin, snapshot_count, item_kind)
VALUES (:channel, :origin, :snapshotCount, :itemKind)
RETURNING id
