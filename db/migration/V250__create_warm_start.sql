-- Warm start across retrain rounds (strategy.warm_start): an experiment's strategy is seeded with the
-- completed, non-excluded trials of earlier experiments of the same model whose space fits today's,
-- and its first trial measures the serving version's hyperparameters on today's data. What seeded a
-- run is written once, when its trials step first starts, and read back on every restart, so a
-- restarted run is given exactly the same earlier trials whatever happened to them since.

CREATE TABLE orchestrator.warm_start (
    experiment_id            bigint      PRIMARY KEY REFERENCES orchestrator.experiment (id),
    source                   text        NOT NULL CHECK (source IN ('previous_rounds', 'experiment')),
    max_trials               integer     NOT NULL CHECK (max_trials BETWEEN 1 AND 10000),
    source_experiment_ids    bigint[]    NOT NULL,
    candidate_trials         integer     NOT NULL CHECK (candidate_trials >= 0),
    seeded_trials            integer     NOT NULL CHECK (seeded_trials >= 0),
    strategy_use             text        NOT NULL CHECK (strategy_use IN ('learns', 'ignores')),
    baseline_trial_number    integer     CHECK (baseline_trial_number >= 0),
    baseline_version         text,
    baseline_params          jsonb,
    note                     text        NOT NULL CHECK (char_length(note) <= 4000),
    seeded_at                timestamptz NOT NULL DEFAULT now(),
    CHECK ((baseline_trial_number IS NULL) = (baseline_params IS NULL))
);
COMMENT ON TABLE orchestrator.warm_start IS 'One row per experiment whose spec has strategy.warm_start, written when its trials step first starts: where the earlier trials came from, how many were found and kept, and the baseline first trial (the serving version''s hyperparameters). A restart reads it back instead of choosing again.';
COMMENT ON COLUMN orchestrator.warm_start.experiment_id IS 'The warm-started experiment.';
COMMENT ON COLUMN orchestrator.warm_start.source IS 'strategy.warm_start.from: previous_rounds (the model''s earlier experiments, most recent first) or experiment (the ids listed).';
COMMENT ON COLUMN orchestrator.warm_start.max_trials IS 'strategy.warm_start.max_trials: at most this many earlier trials seed the strategy.';
COMMENT ON COLUMN orchestrator.warm_start.source_experiment_ids IS 'The earlier experiments read (same model, same objective metric and direction), most recent first.';
COMMENT ON COLUMN orchestrator.warm_start.candidate_trials IS 'Their completed, non-excluded trials looked at (until max_trials were kept).';
COMMENT ON COLUMN orchestrator.warm_start.seeded_trials IS 'How many of them fit today''s space and seed the strategy (rows of orchestrator.warm_start_trial).';
COMMENT ON COLUMN orchestrator.warm_start.strategy_use IS 'learns: the strategy uses the earlier trials as prior observations (tpe); ignores: it proposes without them (random), only the baseline applies.';
COMMENT ON COLUMN orchestrator.warm_start.baseline_trial_number IS 'The trial that measures the serving version''s hyperparameters on today''s data (0); NULL when there was no serving set or it did not fit today''s space (see note).';
COMMENT ON COLUMN orchestrator.warm_start.baseline_version IS 'The serving (active) version whose hyperparameters were read, when one was active.';
COMMENT ON COLUMN orchestrator.warm_start.baseline_params IS 'The baseline trial''s params (the serving set restricted to today''s space); NULL with baseline_trial_number.';
COMMENT ON COLUMN orchestrator.warm_start.note IS 'What the seeding did, in words: experiments skipped for another objective, trials dropped for not fitting, why there is no baseline.';
COMMENT ON COLUMN orchestrator.warm_start.seeded_at IS 'When the seeding was written.';

CREATE TABLE orchestrator.warm_start_trial (
    experiment_id         bigint           NOT NULL REFERENCES orchestrator.warm_start (experiment_id),
    position              integer          NOT NULL CHECK (position >= 0),
    source_experiment_id  bigint           NOT NULL REFERENCES orchestrator.experiment (id),
    source_trial_number   integer          NOT NULL CHECK (source_trial_number >= 0),
    params                jsonb            NOT NULL,
    score                 double precision NOT NULL,
    PRIMARY KEY (experiment_id, position),
    UNIQUE (experiment_id, source_experiment_id, source_trial_number),
    CHECK (source_experiment_id < experiment_id)
);
COMMENT ON TABLE orchestrator.warm_start_trial IS 'The earlier trials that seeded an experiment''s strategy as prior observations. They are not trials of that experiment: they inform its proposals but never count for its best set, its goal or its gate.';
COMMENT ON COLUMN orchestrator.warm_start_trial.experiment_id IS 'The warm-started experiment.';
COMMENT ON COLUMN orchestrator.warm_start_trial.position IS 'Its place among the seeds, from 0 = the oldest (the order the strategy reads them in, before the experiment''s own trials).';
COMMENT ON COLUMN orchestrator.warm_start_trial.source_experiment_id IS 'The earlier experiment the trial ran in.';
COMMENT ON COLUMN orchestrator.warm_start_trial.source_trial_number IS 'The trial''s number there (orchestrator.trial.number).';
COMMENT ON COLUMN orchestrator.warm_start_trial.params IS 'Its params restricted to today''s space (parameters dropped since are left out).';
COMMENT ON COLUMN orchestrator.warm_start_trial.score IS 'Its score (the same objective metric and direction as today''s), measured on that round''s data.';

INSERT INTO orchestrator.reader_table (table_name, why) VALUES
    ('orchestrator.warm_start', 'where each warm-started experiment''s earlier trials came from and its baseline trial'),
    ('orchestrator.warm_start_trial', 'the earlier trials that seeded each warm-started experiment''s strategy');

CREATE VIEW lineage.warm_start_trials AS
SELECT w.experiment_id,
       m.id                        AS model_id,
       m.name                      AS model,
       'seed'::text                AS role,
       s.position,
       s.source_experiment_id,
       s.source_trial_number,
       NULL::integer               AS trial_number,
       s.params,
       s.score,
       NULL::text                  AS serving_version,
       w.seeded_at
  FROM orchestrator.warm_start w
  JOIN orchestrator.warm_start_trial s ON s.experiment_id = w.experiment_id
  JOIN orchestrator.experiment e ON e.id = w.experiment_id
  JOIN orchestrator.model m ON m.id = e.model_id
UNION ALL
SELECT w.experiment_id,
       m.id,
       m.name,
       'baseline'::text,
       NULL::integer,
       NULL::bigint,
       NULL::integer,
       w.baseline_trial_number,
       w.baseline_params,
       t.score,
       w.baseline_version,
       w.seeded_at
  FROM orchestrator.warm_start w
  JOIN orchestrator.experiment e ON e.id = w.experiment_id
  JOIN orchestrator.model m ON m.id = e.model_id
  LEFT JOIN orchestrator.trial t ON t.experiment_id = w.experiment_id AND t.number = w.baseline_trial_number
 WHERE w.baseline_trial_number IS NOT NULL;
COMMENT ON VIEW lineage.warm_start_trials IS 'What a warm-started experiment started from: the earlier trials that seeded its strategy (role seed: not trials of the experiment, never its best set) and its baseline trial (role baseline: the serving version''s hyperparameters measured on today''s data, a real trial that may be the best).';
COMMENT ON COLUMN lineage.warm_start_trials.experiment_id IS 'The warm-started experiment.';
COMMENT ON COLUMN lineage.warm_start_trials.model_id IS 'The model''s id.';
COMMENT ON COLUMN lineage.warm_start_trials.model IS 'The model''s name.';
COMMENT ON COLUMN lineage.warm_start_trials.role IS 'seed: an earlier trial given to the strategy as a prior observation; baseline: the experiment''s first trial, the serving hyperparameters.';
COMMENT ON COLUMN lineage.warm_start_trials.position IS 'A seed''s place among the seeds, from 0 = the oldest; NULL for the baseline.';
COMMENT ON COLUMN lineage.warm_start_trials.source_experiment_id IS 'The earlier experiment a seed ran in; NULL for the baseline.';
COMMENT ON COLUMN lineage.warm_start_trials.source_trial_number IS 'The seed''s trial number there; NULL for the baseline.';
COMMENT ON COLUMN lineage.warm_start_trials.trial_number IS 'The baseline''s trial number in this experiment (as lineage.trial_history.trial_number); NULL for a seed.';
COMMENT ON COLUMN lineage.warm_start_trials.params IS 'The params, restricted to the experiment''s space.';
COMMENT ON COLUMN lineage.warm_start_trials.score IS 'A seed''s score on its own round''s data; the baseline''s score on today''s data (NULL until it completes).';
COMMENT ON COLUMN lineage.warm_start_trials.serving_version IS 'The serving version whose hyperparameters the baseline measures; NULL for a seed.';
COMMENT ON COLUMN lineage.warm_start_trials.seeded_at IS 'When the seeding was written.';
