UPDATE orchestrator.ingest_batch SET inserted_count = :inserted, revised_count = :revised WHERE id = :batch
