-- Points each firing evaluation at the experiment it enqueued; one whose experiment was not
-- inserted (one was already open) says so in its detail.
UPDATE orchestrator.policy_evaluation e
   SET experiment_id = i.experiment_id,
       detail = CASE WHEN i.experiment_id IS NULL
                     THEN e.detail || jsonb_build_object('guard', 'an experiment for this model and policy was already open')
                     ELSE e.detail END
  FROM unnest(:evaluation_ids::bigint[], :experiment_ids::bigint[]) AS i(evaluation_id, experiment_id)
 WHERE e.id = i.evaluation_id
