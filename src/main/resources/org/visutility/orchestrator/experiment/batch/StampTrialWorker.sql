-- A worker names itself the node that runs a trial's attempt, in the transaction that takes the trial's
-- request from the channel store: both commit, or the request stays for another node. Only the attempt
-- the request was sent for, while it is still running and its experiment too: a request left from an
-- attempt that was run again since (a takeover, a worker gone) matches nothing and is dropped.
WITH trial AS (
    UPDATE orchestrator.trial t
       SET worker = :worker, started_at = clock_timestamp()
      FROM orchestrator.experiment e
     WHERE t.experiment_id = :experiment AND t.number = :number AND t.attempt = :attempt AND t.status = 'running'
       AND e.id = t.experiment_id AND e.status = 'running'
    RETURNING t.id, t.attempt
), attempt AS (
    UPDATE orchestrator.trial_attempt a
       SET worker = :worker, started_at = clock_timestamp()
      FROM trial
     WHERE a.trial_id = trial.id AND a.attempt = trial.attempt AND a.outcome = 'running'
    RETURNING a.id
)
SELECT (SELECT count(*) FROM trial) AS stamped
