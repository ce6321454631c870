-- A batch of nothing but duplicates leaves no trace: a resent batch writes nothing.
DELETE FROM orchestrator.ingest_batch WHERE id = :batch
