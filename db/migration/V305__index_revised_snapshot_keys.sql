-- "Which windows were revised" read every snapshot to find the few keys with more than one revision
-- (496 ms at 10 million snapshots). Every revision of a revised key is a later revision (revision > 1)
-- or was superseded by one (superseded_at set); a key never revised has neither. This partial index
-- holds exactly those rows, by observed_at, so the question reads the revisions of its window and
-- nothing else, however long the history. Created on the partitioned table: each monthly partition,
-- today's and those created later, gets its own.
CREATE INDEX metric_snapshot_revised_keys ON orchestrator.metric_snapshot (observed_at)
    WHERE revision > 1 OR superseded_at IS NOT NULL;
COMMENT ON INDEX orchestrator.metric_snapshot_revised_keys IS 'The revisions of revised keys (revision > 1 OR superseded_at IS NOT NULL) by observed_at: lineage.snapshot_revisions answers "which windows were revised" through it. Write that predicate as is for the planner to use it.';
