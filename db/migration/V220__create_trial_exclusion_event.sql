-- Trial quarantine: an operator excludes a trial (a poisoned run, a leaked label, a broken node) so
-- that it no longer counts for the experiment's best set or for the pruning statistics, and may
-- include it again. Each change is one append-only row; a trial's current state is its latest row.
-- The rows of one trial are numbered 1, 2, 3, ... (odd: exclude, even: include), so two operators
-- excluding the same trial at once cannot both succeed: the second insert breaks the unique key.

CREATE TABLE orchestrator.trial_exclusion_event (
    id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trial_id                   bigint           NOT NULL REFERENCES orchestrator.trial (id),
    experiment_id              bigint           NOT NULL REFERENCES orchestrator.experiment (id),
    trial_number               integer          NOT NULL CHECK (trial_number >= 0),
    sequence                   integer          NOT NULL CHECK (sequence >= 1),
    action                     text             NOT NULL CHECK (action IN ('exclude', 'include')),
    actor                      text             NOT NULL CHECK (actor ~ '^operator:[A-Za-z0-9._@+-]{1,100}$'),
    reason                     text             NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
    at                         timestamptz      NOT NULL DEFAULT now(),
    previous_best_trial_number integer,
    previous_best_score        double precision,
    best_trial_number          integer,
    best_score                 double precision,
    UNIQUE (trial_id, sequence),
    CHECK ((action = 'exclude') = (sequence % 2 = 1))
);
COMMENT ON TABLE orchestrator.trial_exclusion_event IS 'Every exclusion and inclusion of a trial (trials exclude|include), append-only. A trial is excluded when its latest row is an exclude: it then counts neither for its experiment''s best set nor for the pruning statistics. A row that changed a finished experiment''s best set records the best before and after.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.id IS 'Surrogate key, in the order the changes were made.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.trial_id IS 'The trial (orchestrator.trial.id).';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.experiment_id IS 'Its experiment.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.trial_number IS 'The trial''s number within the experiment.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.sequence IS 'The change''s place among the trial''s changes, from 1; odd numbers exclude, even ones include, so the database refuses a second exclusion of an excluded trial.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.action IS 'exclude or include.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.actor IS 'Who did it: operator:<name> (--actor, the OS user, or the control API token''s name).';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.reason IS 'Why (--reason, 1-500 characters).';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.at IS 'When it was recorded.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.previous_best_trial_number IS 'The experiment''s best trial before this change, when the change replaced its best set; NULL when the best set did not change.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.previous_best_score IS 'That trial''s score; NULL when the best set did not change.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.best_trial_number IS 'The experiment''s best trial after this change, when the change replaced its best set; NULL when it did not, or when no complete trial is left.';
COMMENT ON COLUMN orchestrator.trial_exclusion_event.best_score IS 'That trial''s score; NULL as best_trial_number.';
CREATE INDEX trial_exclusion_event_experiment ON orchestrator.trial_exclusion_event (experiment_id, trial_id, sequence);

-- Append-only: the history of an exclusion is evidence.
CREATE FUNCTION orchestrator.trial_exclusion_event_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'orchestrator.trial_exclusion_event is append-only (% refused)', TG_OP;
END
$$;
COMMENT ON FUNCTION orchestrator.trial_exclusion_event_append_only() IS 'Refuses UPDATE and DELETE on orchestrator.trial_exclusion_event.';
CREATE TRIGGER trial_exclusion_event_append_only
    BEFORE UPDATE OR DELETE ON orchestrator.trial_exclusion_event
    FOR EACH ROW EXECUTE FUNCTION orchestrator.trial_exclusion_event_append_only();

INSERT INTO orchestrator.reader_table (table_name, why) VALUES
    ('orchestrator.trial_exclusion_event', 'every exclusion and inclusion of a trial, with who, why and the best set it changed');

CREATE VIEW lineage.trial_exclusions AS
SELECT x.id                                          AS event_id,
       x.experiment_id,
       m.id                                          AS model_id,
       m.name                                        AS model,
       x.trial_id,
       x.trial_number,
       x.action,
       x.actor,
       x.reason,
       x.at,
       x.sequence = cur.sequence                     AS is_current,
       cur.sequence % 2 = 1                          AS excluded_now,
       x.previous_best_trial_number,
       x.previous_best_score,
       x.best_trial_number,
       x.best_score
  FROM orchestrator.trial_exclusion_event x
  JOIN orchestrator.experiment e ON e.id = x.experiment_id
  JOIN orchestrator.model m ON m.id = e.model_id
  JOIN LATERAL (SELECT max(y.sequence) AS sequence
                  FROM orchestrator.trial_exclusion_event y WHERE y.trial_id = x.trial_id) cur ON true;
COMMENT ON VIEW lineage.trial_exclusions IS 'Every exclusion and inclusion of a trial (trials exclude|include), oldest first by event_id, with whether the trial is excluded now and the best set each change replaced.';
COMMENT ON COLUMN lineage.trial_exclusions.event_id IS 'The change (orchestrator.trial_exclusion_event.id).';
COMMENT ON COLUMN lineage.trial_exclusions.experiment_id IS 'The experiment.';
COMMENT ON COLUMN lineage.trial_exclusions.model_id IS 'The model''s id.';
COMMENT ON COLUMN lineage.trial_exclusions.model IS 'The model''s name.';
COMMENT ON COLUMN lineage.trial_exclusions.trial_id IS 'The trial (orchestrator.trial.id).';
COMMENT ON COLUMN lineage.trial_exclusions.trial_number IS 'The trial''s number within the experiment (as lineage.trial_history.trial_number).';
COMMENT ON COLUMN lineage.trial_exclusions.action IS 'exclude or include.';
COMMENT ON COLUMN lineage.trial_exclusions.actor IS 'Who did it: operator:<name>.';
COMMENT ON COLUMN lineage.trial_exclusions.reason IS 'Why.';
COMMENT ON COLUMN lineage.trial_exclusions.at IS 'When.';
COMMENT ON COLUMN lineage.trial_exclusions.is_current IS 'Whether it is the trial''s latest change (the one in force).';
COMMENT ON COLUMN lineage.trial_exclusions.excluded_now IS 'Whether the trial is excluded now (its latest change is an exclude).';
COMMENT ON COLUMN lineage.trial_exclusions.previous_best_trial_number IS 'The best trial this change replaced as the experiment''s best set; NULL when the best set did not change.';
COMMENT ON COLUMN lineage.trial_exclusions.previous_best_score IS 'Its score.';
COMMENT ON COLUMN lineage.trial_exclusions.best_trial_number IS 'The best trial after the change; NULL when the best set did not change or no complete trial is left.';
COMMENT ON COLUMN lineage.trial_exclusions.best_score IS 'Its score.';
