-- lineage.pareto_front (V290) computed its candidates and objectives in top-level CTEs over every
-- experiment with several objectives: PostgreSQL materialises them, so a filter on the view (one
-- experiment, or the runs of the last 14 days) could not reach the experiment scan, and reading the
-- front cost the whole history. The front is now computed per experiment in a LATERAL subquery, so a
-- filter on experiment_id or on the new enqueued_at column (orchestrator.experiment.queued_at,
-- indexed by experiment_by_queued_at, V241) picks the experiments first and only their trials are
-- read. Same columns in the same order, enqueued_at added at the end.
CREATE OR REPLACE VIEW lineage.pareto_front AS
SELECT e.id                                   AS experiment_id,
       m.name                                 AS model,
       f.number                               AS trial_number,
       f.id                                   AS trial_id,
       f.objective_values,
       f.first_value,
       f.second_value,
       f.params,
       e.spec #>> '{select,metric}'           AS select_metric,
       e.spec #>> '{select,constraint}'       AS select_constraint,
       EXISTS (SELECT 1 FROM orchestrator.hyperparameter_set hs
                WHERE hs.experiment_id = e.id AND hs.replaced_at IS NULL AND hs.trial_id = f.id) AS selected,
       f.finished_at,
       e.queued_at                            AS enqueued_at
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
 CROSS JOIN LATERAL (
        WITH objective AS (
            SELECT o.position,
                   o.value ->> 'metric'                    AS metric,
                   (o.value ->> 'direction') = 'maximize'  AS maximize
              FROM jsonb_array_elements(e.spec -> 'objective') WITH ORDINALITY AS o(value, position)
        ),
        candidate AS (
            -- completed trials that are not excluded now (V220: the latest change is an exclude) and report every objective
            SELECT t.id, t.number, t.params, t.metrics, t.finished_at
              FROM orchestrator.trial t
             WHERE t.experiment_id = e.id
               AND t.status = 'complete'
               AND coalesce((SELECT max(x.sequence) FROM orchestrator.trial_exclusion_event x WHERE x.trial_id = t.id), 0) % 2 = 0
               AND NOT EXISTS (SELECT 1 FROM objective o WHERE jsonb_typeof(t.metrics -> o.metric) IS DISTINCT FROM 'number')
        )
        SELECT c.id, c.number, c.params, c.finished_at,
               (SELECT jsonb_object_agg(o.metric, c.metrics -> o.metric ORDER BY o.position) FROM objective o) AS objective_values,
               (SELECT (c.metrics ->> o.metric)::double precision FROM objective o WHERE o.position = 1) AS first_value,
               (SELECT (c.metrics ->> o.metric)::double precision FROM objective o WHERE o.position = 2) AS second_value
          FROM candidate c
         WHERE NOT EXISTS (
                -- another candidate d dominates c: no worse on every objective and better on one
                SELECT 1 FROM candidate d
                 WHERE d.id <> c.id
                   AND NOT EXISTS (SELECT 1 FROM objective o
                                    WHERE CASE WHEN o.maximize THEN (d.metrics ->> o.metric)::double precision < (c.metrics ->> o.metric)::double precision
                                               ELSE (d.metrics ->> o.metric)::double precision > (c.metrics ->> o.metric)::double precision END)
                   AND EXISTS (SELECT 1 FROM objective o
                                WHERE CASE WHEN o.maximize THEN (d.metrics ->> o.metric)::double precision > (c.metrics ->> o.metric)::double precision
                                           ELSE (d.metrics ->> o.metric)::double precision < (c.metrics ->> o.metric)::double precision END))
       ) f
 WHERE jsonb_typeof(e.spec -> 'objective') = 'array';

COMMENT ON VIEW lineage.pareto_front IS 'For each experiment with several objectives (objective: a list), its Pareto front: the completed trials, excluded ones left out (trials exclude), that no other such trial dominates (no worse on every objective and better on one), one row each, with each objective''s value and whether it is the trial select chose for the current best set. The choice itself is recorded with the set (orchestrator.hyperparameter_set.selection). Running experiments show their front so far. The front is computed per experiment, so a filter on experiment_id or enqueued_at reads only the trials of the experiments it keeps.';
COMMENT ON COLUMN lineage.pareto_front.experiment_id IS 'The experiment (orchestrator.experiment.id).';
COMMENT ON COLUMN lineage.pareto_front.model IS 'The model it tuned.';
COMMENT ON COLUMN lineage.pareto_front.trial_number IS 'The trial''s number in its experiment.';
COMMENT ON COLUMN lineage.pareto_front.trial_id IS 'The trial (orchestrator.trial.id).';
COMMENT ON COLUMN lineage.pareto_front.objective_values IS 'Each objective''s final value, {metric: value}, from the trial''s metrics.';
COMMENT ON COLUMN lineage.pareto_front.first_value IS 'The value of the first objective the spec lists (for plotting two objectives).';
COMMENT ON COLUMN lineage.pareto_front.second_value IS 'The value of the second objective the spec lists.';
COMMENT ON COLUMN lineage.pareto_front.params IS 'The trial''s hyperparameters.';
COMMENT ON COLUMN lineage.pareto_front.select_metric IS 'select.metric: the objective the chosen trial is best on among the front members meeting the constraint.';
COMMENT ON COLUMN lineage.pareto_front.select_constraint IS 'select.constraint as stored (bounds joined by and), NULL without one.';
COMMENT ON COLUMN lineage.pareto_front.selected IS 'Whether this trial is the experiment''s current best set (the one select chose; registered as the candidate version at finalize). No row is selected while the experiment runs, or when no front member met the constraint (the experiment failed).';
COMMENT ON COLUMN lineage.pareto_front.finished_at IS 'When the trial ended.';
COMMENT ON COLUMN lineage.pareto_front.enqueued_at IS 'When the experiment was enqueued (orchestrator.experiment.queued_at, as lineage.experiment_lineage.enqueued_at): a filter on it, such as the last 14 days, is answered through the index on the enqueue time and reads only those experiments'' trials.';
