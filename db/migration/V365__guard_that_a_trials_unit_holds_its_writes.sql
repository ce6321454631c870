-- A unit of the trials step (one trial recorded, the next proposed, the step's checkpoint and its
-- Spring Batch execution row) is written by one statement (TrialsUnit.sql). This function is called
-- by that statement with what it wrote and what it was asked to write: when the fence held but a
-- write is missing (a trial no longer running, a proposal already recorded, a checkpoint with no
-- row, a step execution row of another version: a stale owner), the statement fails, so the unit's
-- transaction commits none of its writes, whatever the caller does with the result.
CREATE FUNCTION orchestrator.trials_unit_holds(fenced bigint, finishes_wanted integer, finished bigint,
                                               opens_wanted integer, opened bigint,
                                               checkpoint_wanted boolean, checkpointed bigint,
                                               step_row_wanted boolean, step_row_written bigint) RETURNS boolean
    LANGUAGE plpgsql AS $$
BEGIN
    IF fenced = 0 THEN
        RETURN false; -- the run lost the experiment: every write hangs on the fence, none was made
    END IF;
    IF finished <> finishes_wanted THEN
        RAISE EXCEPTION 'trials unit: % of % ended trials were still running', finished, finishes_wanted
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF opened <> opens_wanted THEN
        RAISE EXCEPTION 'trials unit: % of % proposed trials recorded', opened, opens_wanted
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF checkpoint_wanted AND checkpointed <> 1 THEN
        RAISE EXCEPTION 'trials unit: the step execution has no checkpoint row'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF step_row_wanted AND step_row_written <> 1 THEN
        RAISE EXCEPTION 'trials unit: the step execution row is not at the version this run read (another run wrote it)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION orchestrator.trials_unit_holds(bigint, integer, bigint, integer, bigint, boolean, bigint, boolean, bigint) IS
    'Called by the statement that writes a unit of the trials step: false when the fence failed (nothing written); raises when the fence held but one of the unit''s writes (ended trials, proposed trials, checkpoint, step execution row) is missing, so the unit commits nothing; true otherwise.';
