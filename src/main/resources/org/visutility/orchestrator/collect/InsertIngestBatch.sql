INSERT INTO orchestrator.ingest_batch (channel, origin, snapshot_count)
VALUES (:channel, :origin, :snapshotCount)
RETURNING id
