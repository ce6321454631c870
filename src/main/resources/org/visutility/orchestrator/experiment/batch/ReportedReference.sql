-- The reference a trial's trainer reported, validated when the trial completed (NULL when none).
SELECT reported_reference::text FROM orchestrator.trial WHERE id = :trial AND reported_reference IS NOT NULL
