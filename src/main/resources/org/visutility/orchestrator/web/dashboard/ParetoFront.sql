-- An experiment's Pareto front (lineage.pareto_front; several objectives only): its members and which one select chose.
SELECT trial_number, selected
  FROM lineage.pareto_front
 WHERE experiment_id = :id
 ORDER BY trial_number
