-- One dispatcher at a time counts the free slots (released at commit). A row of our own table, not
-- an advisory lock: any database user can take an advisory lock (a reader did, and held the queue
-- and the node's shutdown), while locking this row needs UPDATE on orchestrator.cluster_lock.
SELECT name FROM orchestrator.cluster_lock WHERE name = 'experiment_dispatch' FOR UPDATE
