-- Closes a batch COPYed straight in (NewSnapshotsCopy): opened before its size was known (a streamed
-- file), it held :count snapshots, all new.
UPDATE orchestrator.ingest_batch SET snapshot_count = :count, inserted_count = :count, revised_count = 0 WHERE id = :batch
