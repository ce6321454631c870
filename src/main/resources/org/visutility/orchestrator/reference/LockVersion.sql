-- Serialises the setting of one version's references (NO KEY: snapshots referencing the version still insert).
SELECT id FROM orchestrator.model_version WHERE id = :version FOR NO KEY UPDATE
