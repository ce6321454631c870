-- Locks that serialize cluster-wide work, as rows of our own table. The experiment dispatcher used a
-- PostgreSQL advisory lock, which every database user can take (one SELECT by a member of
-- lineage_reader held experiments in the queue and hung the node's shutdown). Locking a row with
-- SELECT ... FOR UPDATE needs the UPDATE privilege on this table, which only the service's own role has.
CREATE TABLE orchestrator.cluster_lock (
    name    text PRIMARY KEY,
    purpose text NOT NULL
);
COMMENT ON TABLE orchestrator.cluster_lock IS 'One row per cluster-wide lock, taken with SELECT ... FOR UPDATE (and a lock_timeout) by the node doing that work; rows are never updated. Only roles with UPDATE on this table can hold one: lineage_reader cannot.';
COMMENT ON COLUMN orchestrator.cluster_lock.name IS 'The lock''s name, e.g. experiment_dispatch.';
COMMENT ON COLUMN orchestrator.cluster_lock.purpose IS 'What holding the lock serializes.';

INSERT INTO orchestrator.cluster_lock (name, purpose) VALUES
    ('experiment_dispatch', 'Held by the experiment dispatcher while it counts the free slots and claims queued experiments, so that dispatchers on several nodes never exceed max_running_experiments together.');
