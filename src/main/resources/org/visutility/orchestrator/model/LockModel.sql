-- Every status change of a model's versions holds this lock until commit, so that changes of one
-- model happen one after the other (one active version, a consistent event chain). NO KEY UPDATE:
-- it does not block ingest, whose snapshots only take KEY SHARE on the model row.
SELECT id FROM orchestrator.model WHERE id = :model FOR NO KEY UPDATE
