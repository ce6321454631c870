-- Registers the batch's unknown models on first sight; returns the names that were new.
-- Sorted, so that concurrent batches take the unique index's locks in one order.
INSERT INTO orchestrator.model (name)
SELECT n.name
  FROM unnest(CAST(:names AS text[])) AS n (name)
 WHERE NOT EXISTS (SELECT 1 FROM orchestrator.model m WHERE m.name = n.name)
 ORDER BY n.name
ON CONFLICT (name) DO NOTHING
RETURNING name
