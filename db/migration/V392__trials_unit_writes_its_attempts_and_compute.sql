-- Every trial of the trials step cost, inside the unit's statement, four trigger calls: the trial's
-- insert and its end each fired record_trial_attempt (V150), whose write to trial_attempt fired
-- keep_compute_month (V376), and each of those made its own upsert of the same compute_month row.
-- The unit's statement (TrialsUnit.sql) now writes its trials' attempt rows itself (an insert for
-- each trial it opens, the end and outcome for each it finishes, as record_trial_attempt does) and
-- their net contribution to compute_month in one upsert per month (as keep_compute_month adds it
-- up). The two triggers skip the rows that statement writes and keep covering every other writer
-- (a restart, a takeover, a retry round, a cancel, an abandon, the rescuer, a worker's stamp).
--
-- How they tell: the statement marks the transaction (trials_unit_marks_its_writes) once its fence
-- held, before it writes any row (every write joins the fence's row), and clears the mark once all
-- its writes are done (trials_unit_clears_its_mark); a trigger's WHEN is evaluated as each row is
-- written, so it sees the mark only for that statement's rows. The mark is transaction-local: an
-- error or a rollback drops it with the writes.
CREATE FUNCTION orchestrator.trials_unit_marks_its_writes() RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('orchestrator.trials_unit_writing', 'on', true);
    RETURN true;
END $$;
COMMENT ON FUNCTION orchestrator.trials_unit_marks_its_writes() IS
    'Called by the trials unit''s statement once its fence held, before any of its writes: the triggers trial_attempts and compute_month skip the rows written while the mark is set, because the statement writes their attempts and compute itself. Transaction-local.';

CREATE FUNCTION orchestrator.trials_unit_clears_its_mark(fenced boolean, attempts_ended bigint, attempts_opened bigint, months bigint)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- the arguments are the results of all the statement's writes (fenced: of its checks, which
    -- count every write to trial): a PL/pgSQL function's arguments are computed before its body
    -- runs, so every write of the statement is done when the mark is cleared
    PERFORM set_config('orchestrator.trials_unit_writing', '', true);
    RETURN fenced;
END $$;
COMMENT ON FUNCTION orchestrator.trials_unit_clears_its_mark(boolean, bigint, bigint, bigint) IS
    'Called by the trials unit''s statement with the results of all its writes (their counts, and fenced as trials_unit_commits returned it): clears the mark, so later writes of the transaction fire the triggers trial_attempts and compute_month again; returns fenced.';

DROP TRIGGER trial_attempts ON orchestrator.trial;
CREATE TRIGGER trial_attempts
    AFTER INSERT OR UPDATE OF status, attempt ON orchestrator.trial
    FOR EACH ROW
    WHEN (current_setting('orchestrator.trials_unit_writing', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION orchestrator.record_trial_attempt();

DROP TRIGGER compute_month ON orchestrator.trial_attempt;
CREATE TRIGGER compute_month
    AFTER INSERT OR UPDATE OR DELETE ON orchestrator.trial_attempt
    FOR EACH ROW
    WHEN (current_setting('orchestrator.trials_unit_writing', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION orchestrator.keep_compute_month();

COMMENT ON TABLE orchestrator.trial_attempt IS 'One row per attempt of a trial: when and where it ran and how it ended. Written in the transaction that starts or ends the attempt: by the trials unit''s statement for the trials it opens and finishes, by triggers for every other writer; a row is inserted when the attempt starts and its end is written once. Trials recorded before this table existed have one row, for their last attempt.';
COMMENT ON TABLE orchestrator.compute_month IS 'Trial attempts added up per model and calendar month (UTC) of their start: kept in the transaction that writes the attempt (by the trials unit''s statement for the attempts it writes, by the trigger compute_month on orchestrator.trial_attempt for every other write), so it always equals a sum over lineage.trial_attempts. Read through lineage.compute_by_month.';

-- An attempt's end changes its outcome, which the partial index trial_attempt_open had in its
-- predicate: no end could be a heap-only update, so each wrote a new entry in every index of the
-- table. The open attempts of an experiment (interrupt_trial_attempts, its only reader) are found
-- through an index of all its attempts instead (lineage.trial_attempts by experiment uses it too),
-- and the end of an attempt changes no indexed column.
CREATE INDEX trial_attempt_by_experiment ON orchestrator.trial_attempt (experiment_id);
DROP INDEX orchestrator.trial_attempt_open;

-- The fence of every unit updates its experiment's heartbeat_at, which experiment_running_heartbeat
-- indexed: each trial wrote a new experiment row version and an entry in each of the table's
-- indexes (6 WAL records, 441 bytes). The queries that read running experiments by heartbeat (the
-- rescuer's takeover, the stuck-runs gauge, the orphan hold) ask for status = 'running' first,
-- which experiment_status (status, queued_at) finds; running experiments are a handful at a time.
-- Without an index on heartbeat_at the fence's update changes no indexed column and can stay on
-- its page (a heap-only update), the heartbeat still dating an attempt cut short.
DROP INDEX orchestrator.experiment_running_heartbeat;
