-- The compute roll-up runs in every trial's transaction: three upserts per trial (a trial's end
-- took its attempt's old row out and added the new one; the next trial's start adds its attempt).
-- add_to_compute_month was a LANGUAGE sql function called from PL/pgSQL, whose upsert PostgreSQL
-- plans again on every call; as PL/pgSQL its plan is cached for the session (same signature and
-- effect). And an end written is now one upsert of the difference (move_in_compute_month).
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

-- The usual update of an attempt (its end and outcome written) keeps its trial, number, experiment
-- and month: one upsert of the difference instead of taking the old row out and adding the new one.
CREATE FUNCTION orchestrator.move_in_compute_month(was orchestrator.trial_attempt, now_is orchestrator.trial_attempt, lost boolean) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO orchestrator.compute_month AS c (model_id, month, attempts, interrupted, seconds, seconds_lost)
    SELECT e.model_id,
           date_trunc('month', now_is.started_at AT TIME ZONE 'UTC')::date,
           0,
           (now_is.outcome = 'interrupted')::int - (was.outcome = 'interrupted')::int,
           coalesce(extract(epoch FROM now_is.ended_at - now_is.started_at), 0)
               - coalesce(extract(epoch FROM was.ended_at - was.started_at), 0),
           CASE WHEN lost THEN coalesce(extract(epoch FROM now_is.ended_at - now_is.started_at), 0)
                               - coalesce(extract(epoch FROM was.ended_at - was.started_at), 0)
                ELSE 0 END
      FROM orchestrator.experiment e
     WHERE e.id = now_is.experiment_id
    ON CONFLICT (model_id, month) DO UPDATE
       SET interrupted = c.interrupted + excluded.interrupted,
           seconds = c.seconds + excluded.seconds,
           seconds_lost = c.seconds_lost + excluded.seconds_lost;
END $$;
COMMENT ON FUNCTION orchestrator.move_in_compute_month(orchestrator.trial_attempt, orchestrator.trial_attempt, boolean) IS 'Changes one attempt''s contribution to its model''s month in orchestrator.compute_month from its old row (was) to its new one (now_is), both of the same trial, attempt, experiment and month; lost says whether a later attempt of its trial exists.';

CREATE OR REPLACE FUNCTION orchestrator.keep_compute_month() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    lost     boolean;
    replaced orchestrator.trial_attempt;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.trial_id = OLD.trial_id AND NEW.attempt = OLD.attempt AND NEW.experiment_id = OLD.experiment_id
       AND date_trunc('month', NEW.started_at AT TIME ZONE 'UTC') = date_trunc('month', OLD.started_at AT TIME ZONE 'UTC') THEN
        lost := EXISTS (SELECT 1 FROM orchestrator.trial_attempt l WHERE l.trial_id = NEW.trial_id AND l.attempt > NEW.attempt);
        PERFORM orchestrator.move_in_compute_month(OLD, NEW, lost);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        lost := EXISTS (SELECT 1 FROM orchestrator.trial_attempt l WHERE l.trial_id = OLD.trial_id AND l.attempt > OLD.attempt);
        PERFORM orchestrator.add_to_compute_month(OLD, lost, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        lost := EXISTS (SELECT 1 FROM orchestrator.trial_attempt l WHERE l.trial_id = NEW.trial_id AND l.attempt > NEW.attempt);
        PERFORM orchestrator.add_to_compute_month(NEW, lost, 1);
    END IF;
    -- the attempt that was the trial's last until now becomes lost (or, on a delete, last again)
    IF TG_OP IN ('INSERT', 'DELETE') THEN
        SELECT p.* INTO replaced
          FROM orchestrator.trial_attempt p
         WHERE p.trial_id = coalesce(NEW.trial_id, OLD.trial_id) AND p.attempt < coalesce(NEW.attempt, OLD.attempt)
         ORDER BY p.attempt DESC LIMIT 1;
        IF FOUND AND NOT EXISTS (SELECT 1 FROM orchestrator.trial_attempt l
                                  WHERE l.trial_id = replaced.trial_id AND l.attempt > coalesce(NEW.attempt, OLD.attempt)) THEN
            IF TG_OP = 'INSERT' THEN
                PERFORM orchestrator.add_to_compute_month(replaced, false, -1);
                PERFORM orchestrator.add_to_compute_month(replaced, true, 1);
            ELSE
                PERFORM orchestrator.add_to_compute_month(replaced, true, -1);
                PERFORM orchestrator.add_to_compute_month(replaced, false, 1);
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION orchestrator.keep_compute_month() IS 'Trigger function on orchestrator.trial_attempt: takes the old row''s contribution out of orchestrator.compute_month and adds the new one''s (an end written, an outcome changed, a start moved to another month; one upsert of the difference when the attempt stays in its month); an attempt inserted after others of its trial turns the previous last attempt''s seconds into lost seconds.';
