-- add_to_compute_month runs in every trial's transaction (three times: a trial's end, the next
-- trial's start, and the start's effect on the previous last attempt). As a LANGUAGE sql function
-- called from PL/pgSQL, PostgreSQL plans its upsert again on every call; as PL/pgSQL the plan is
-- cached for the session. Same signature and effect.
CREATE OR REPLACE FUNCTION orchestrator.add_to_compute_month(attempt orchestrator.trial_attempt, lost boolean, factor integer) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO orchestrator.compute_month AS c (model_id, month, attempts, interrupted, seconds, seconds_lost)
    SELECT e.model_id,
           date_trunc('month', attempt.started_at AT TIME ZONE 'UTC')::date,
           factor,
           factor * (attempt.outcome = 'interrupted')::int,
           factor * coalesce(extract(epoch FROM attempt.ended_at - attempt.started_at), 0),
           CASE WHEN lost THEN factor * coalesce(extract(epoch FROM attempt.ended_at - attempt.started_at), 0) ELSE 0 END
      FROM orchestrator.experiment e
     WHERE e.id = attempt.experiment_id
    ON CONFLICT (model_id, month) DO UPDATE
       SET attempts = c.attempts + excluded.attempts,
           interrupted = c.interrupted + excluded.interrupted,
           seconds = c.seconds + excluded.seconds,
           seconds_lost = c.seconds_lost + excluded.seconds_lost;
END $$;
COMMENT ON FUNCTION orchestrator.add_to_compute_month(orchestrator.trial_attempt, boolean, integer) IS 'Adds (factor 1) or takes away (factor -1) one attempt''s contribution to its model''s month in orchestrator.compute_month; lost says whether a later attempt of its trial exists (its seconds then count as lost too). PL/pgSQL so that its plan is cached per session (it runs in every trial''s transaction).';
