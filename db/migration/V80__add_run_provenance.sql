-- Reproducibility: what every experiment and trial ran with, beyond the spec (stored already with
-- its sha256). The prepare step of an experiment's job fills the experiment's columns once; every
-- trial attempt notes the orchestrator version of the node that ran it.

ALTER TABLE orchestrator.experiment
    ADD COLUMN strategy_seed     bigint,
    ADD COLUMN strategy_version  text,
    ADD COLUMN trainer_type      text,
    ADD COLUMN trainer_version   text,
    ADD COLUMN trainer_command   jsonb CHECK (jsonb_typeof(trainer_command) = 'array'),
    ADD COLUMN trainer_algorithm text,
    ADD COLUMN dataset_location  text,
    ADD COLUMN dataset_bytes     bigint CHECK (dataset_bytes >= 0),
    ADD COLUMN dataset_sha256    text CHECK (dataset_sha256 ~ '^[0-9a-f]{64}$'),
    ADD COLUMN prepared_at       timestamptz;
COMMENT ON COLUMN orchestrator.experiment.strategy_seed IS 'The seed the strategy ran with (strategy.seed, 0 when the spec gave none); recorded when the run was prepared.';
COMMENT ON COLUMN orchestrator.experiment.strategy_version IS 'The version of the strategy''s code (its provider''s version(): the jar''s Implementation-Version, for built-ins the orchestrator''s).';
COMMENT ON COLUMN orchestrator.experiment.trainer_type IS 'The trainer that ran the trials (trainer.type: command, function, ...).';
COMMENT ON COLUMN orchestrator.experiment.trainer_version IS 'The version of the trainer''s code (its provider''s version()).';
COMMENT ON COLUMN orchestrator.experiment.trainer_command IS 'The external program and its fixed arguments, as a JSON array, for a command trainer; NULL for a built-in one.';
COMMENT ON COLUMN orchestrator.experiment.trainer_algorithm IS 'The built-in algorithm a built-in trainer ran (e.g. sphere); NULL for a command trainer.';
COMMENT ON COLUMN orchestrator.experiment.dataset_location IS 'Where the training data was: an absolute path, classpath:<resource> for data shipped with a built-in trainer, or a URI; NULL when the trainer named none (a command trainer''s trainer.dataset).';
COMMENT ON COLUMN orchestrator.experiment.dataset_bytes IS 'The dataset''s size in bytes when the orchestrator could read it at the start (NULL for a URI, a folder or a missing file).';
COMMENT ON COLUMN orchestrator.experiment.dataset_sha256 IS 'SHA-256 of the dataset''s bytes, read at the start, when readable.';
COMMENT ON COLUMN orchestrator.experiment.prepared_at IS 'When the run''s prepare step recorded these columns (once per experiment; restarts keep them).';

ALTER TABLE orchestrator.trial ADD COLUMN orchestrator_version text;
COMMENT ON COLUMN orchestrator.trial.orchestrator_version IS 'The orchestrator version of the node that ran the trial''s last attempt (it may differ from the experiment''s after a takeover by another node).';
