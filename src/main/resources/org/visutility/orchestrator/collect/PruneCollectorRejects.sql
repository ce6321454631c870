-- Keeps the newest :keep rejected rows of a collector: a collector rejecting rows at every run for
-- weeks must not fill the database.
DELETE FROM orchestrator.collector_rejects
 WHERE collector = :collector
   AND id <= (SELECT id FROM orchestrator.collector_rejects WHERE collector = :collector
               ORDER BY id DESC OFFSET :keep LIMIT 1)
