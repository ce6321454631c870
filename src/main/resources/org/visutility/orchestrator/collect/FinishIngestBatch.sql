UPDATE orchestrator.ingest_batch SET inserted_count = :inserted WHERE id = :batch
