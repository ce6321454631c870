-- A unit of the trials step now sends its commit in the same round trip as its last statement
-- (TrialsUnit.sql, then COMMIT): the server commits as soon as the statement succeeded. A statement
-- whose fence failed writes nothing itself, but the transaction may hold earlier statements of the
-- same unit (a failed trial of an earlier round re-opened), which a stale owner must not commit.
-- This function makes that statement fail instead, so the server skips the COMMIT and the
-- transaction is rolled back as before.
CREATE FUNCTION orchestrator.trials_unit_commits(fenced boolean, commits boolean) RETURNS boolean
    LANGUAGE plpgsql AS $$
BEGIN
    IF commits AND NOT fenced THEN
        RAISE EXCEPTION 'trials unit: the run no longer owns its experiment; nothing of the unit commits'
            USING ERRCODE = 'VU001';
    END IF;
    RETURN fenced;
END $$;
COMMENT ON FUNCTION orchestrator.trials_unit_commits(boolean, boolean) IS
    'Called by the statement that writes a unit of the trials step with the result of trials_unit_holds: when the unit''s commit is sent with the statement (commits) and the fence failed, raises SQLSTATE VU001 so that the commit is skipped and nothing of the unit''s transaction commits; otherwise returns fenced.';
