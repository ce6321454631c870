SELECT count(*) FILTER (WHERE status = 'complete') AS complete,
       count(*) FILTER (WHERE status = 'failed') AS failed,
       count(*) FILTER (WHERE status = 'pruned') AS pruned
  FROM orchestrator.trial WHERE experiment_id = :experiment
