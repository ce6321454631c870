-- Two objectives at once: a spec may list several objectives (objective: [{metric, direction}, ...])
-- and a choice rule (select: {metric, constraint}). The best set is then the trial the rule picks
-- from the Pareto front of the completed, non-excluded trials; the set records the rule it was chosen
-- by, and lineage.pareto_front lists each such experiment's front.

ALTER TABLE orchestrator.hyperparameter_set ADD COLUMN selection jsonb;
COMMENT ON COLUMN orchestrator.hyperparameter_set.selection IS 'How the set was chosen when its experiment has several objectives: {"rule": "pareto", "metric": the select.metric the set is best on, "direction", "constraint": select.constraint or null, "front_size": how many trials were on the Pareto front, "meeting_constraint": how many of them met the constraint}; score is then the select.metric value. NULL for a single objective (the best trial by score).';
COMMENT ON TABLE orchestrator.hyperparameter_set IS 'The best hyperparameters an experiment found, from its best trial (with several objectives: the trial select picks from the Pareto front, see selection); append-only. An experiment has one current set (replaced_at NULL), written at finalize; excluding or including a trial afterwards (trials exclude|include) may replace it by a new row. The model version registered from the experiment keeps pointing at the set it was trained with.';

-- The selection is history too (V230's rule, with the new column).
CREATE OR REPLACE FUNCTION orchestrator.hyperparameter_set_history_kept() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.experiment_id IS DISTINCT FROM OLD.experiment_id OR NEW.trial_id IS DISTINCT FROM OLD.trial_id
       OR NEW.params IS DISTINCT FROM OLD.params OR NEW.score IS DISTINCT FROM OLD.score
       OR NEW.selection IS DISTINCT FROM OLD.selection
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'orchestrator.hyperparameter_set % is history: insert a new set and mark this one replaced', OLD.id;
    END IF;
    IF (OLD.replaced_at IS NOT NULL AND NEW.replaced_at IS DISTINCT FROM OLD.replaced_at)
       OR (OLD.replaced_by_id IS NOT NULL AND NEW.replaced_by_id IS DISTINCT FROM OLD.replaced_by_id) THEN
        RAISE EXCEPTION 'orchestrator.hyperparameter_set % was replaced already', OLD.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE VIEW lineage.pareto_front AS
WITH objective AS (
    SELECT e.id                           AS experiment_id,
           o.position,
           o.value ->> 'metric'           AS metric,
           (o.value ->> 'direction') = 'maximize' AS maximize
      FROM orchestrator.experiment e
     CROSS JOIN LATERAL jsonb_array_elements(e.spec -> 'objective') WITH ORDINALITY AS o(value, position)
     WHERE jsonb_typeof(e.spec -> 'objective') = 'array'
),
candidate AS (
    -- completed trials that are not excluded now (V220: the latest change is an exclude) and report every objective
    SELECT t.id, t.experiment_id, t.number, t.params, t.metrics, t.finished_at
      FROM orchestrator.trial t
     WHERE t.status = 'complete'
       AND t.experiment_id IN (SELECT experiment_id FROM objective)
       AND coalesce((SELECT max(x.sequence) FROM orchestrator.trial_exclusion_event x WHERE x.trial_id = t.id), 0) % 2 = 0
       AND NOT EXISTS (SELECT 1 FROM objective o
                        WHERE o.experiment_id = t.experiment_id AND jsonb_typeof(t.metrics -> o.metric) IS DISTINCT FROM 'number')
)
SELECT c.experiment_id,
       m.name                                                   AS model,
       c.number                                                 AS trial_number,
       c.id                                                     AS trial_id,
       (SELECT jsonb_object_agg(o.metric, c.metrics -> o.metric ORDER BY o.position)
          FROM objective o WHERE o.experiment_id = c.experiment_id) AS objective_values,
       (SELECT (c.metrics ->> o.metric)::double precision FROM objective o
         WHERE o.experiment_id = c.experiment_id AND o.position = 1) AS first_value,
       (SELECT (c.metrics ->> o.metric)::double precision FROM objective o
         WHERE o.experiment_id = c.experiment_id AND o.position = 2) AS second_value,
       c.params,
       e.spec #>> '{select,metric}'                             AS select_metric,
       e.spec #>> '{select,constraint}'                         AS select_constraint,
       EXISTS (SELECT 1 FROM orchestrator.hyperparameter_set hs
                WHERE hs.experiment_id = c.experiment_id AND hs.replaced_at IS NULL AND hs.trial_id = c.id) AS selected,
       c.finished_at
  FROM candidate c
  JOIN orchestrator.experiment e ON e.id = c.experiment_id
  JOIN orchestrator.model m ON m.id = e.model_id
 WHERE NOT EXISTS (
        -- another candidate d dominates c: no worse on every objective and better on one
        SELECT 1 FROM candidate d
         WHERE d.experiment_id = c.experiment_id AND d.id <> c.id
           AND NOT EXISTS (SELECT 1 FROM objective o
                            WHERE o.experiment_id = c.experiment_id
                              AND CASE WHEN o.maximize THEN (d.metrics ->> o.metric)::double precision < (c.metrics ->> o.metric)::double precision
                                       ELSE (d.metrics ->> o.metric)::double precision > (c.metrics ->> o.metric)::double precision END)
           AND EXISTS (SELECT 1 FROM objective o
                        WHERE o.experiment_id = c.experiment_id
                          AND CASE WHEN o.maximize THEN (d.metrics ->> o.metric)::double precision > (c.metrics ->> o.metric)::double precision
                                   ELSE (d.metrics ->> o.metric)::double precision < (c.metrics ->> o.metric)::double precision END));

COMMENT ON VIEW lineage.pareto_front IS 'For each experiment with several objectives (objective: a list), its Pareto front: the completed trials, excluded ones left out (trials exclude), that no other such trial dominates (no worse on every objective and better on one), one row each, with each objective''s value and whether it is the trial select chose for the current best set. The choice itself is recorded with the set (orchestrator.hyperparameter_set.selection). Running experiments show their front so far.';
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
