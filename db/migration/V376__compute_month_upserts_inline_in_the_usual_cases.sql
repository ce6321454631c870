-- keep_compute_month runs twice in every trial's transaction, inside the trials unit's statement:
-- once for the attempt's start (an insert) and once for its end (an update). Each time it called a
-- second PL/pgSQL function (add_to_compute_month, move_in_compute_month) through PERFORM, which
-- copies the attempt rows into composite arguments and starts a nested executor, and on an insert
-- it also looked for an earlier attempt of the trial. The two usual cases now make their one upsert
-- inline: an attempt's end or outcome written (same trial, attempt, experiment and month), and a
-- trial's first attempt inserted (attempt 1: no earlier attempt can exist, CHECK attempt >= 1, so
-- none becomes lost). The sums written are the same as before; every other case (a later attempt
-- inserted, a start moved to another month, a delete) goes the general way, unchanged.
CREATE OR REPLACE FUNCTION orchestrator.keep_compute_month() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    lost     boolean;
    replaced orchestrator.trial_attempt;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.trial_id = OLD.trial_id AND NEW.attempt = OLD.attempt AND NEW.experiment_id = OLD.experiment_id
       AND date_trunc('month', NEW.started_at AT TIME ZONE 'UTC') = date_trunc('month', OLD.started_at AT TIME ZONE 'UTC') THEN
        -- the difference between the old row's contribution and the new one's (as move_in_compute_month)
        INSERT INTO orchestrator.compute_month AS c (model_id, month, attempts, interrupted, seconds, seconds_lost)
        SELECT e.model_id,
               date_trunc('month', NEW.started_at AT TIME ZONE 'UTC')::date,
               0,
               (NEW.outcome = 'interrupted')::int - (OLD.outcome = 'interrupted')::int,
               d.seconds,
               CASE WHEN EXISTS (SELECT 1 FROM orchestrator.trial_attempt l WHERE l.trial_id = NEW.trial_id AND l.attempt > NEW.attempt)
                    THEN d.seconds ELSE 0 END
          FROM orchestrator.experiment e,
               LATERAL (SELECT coalesce(extract(epoch FROM NEW.ended_at - NEW.started_at), 0)
                                - coalesce(extract(epoch FROM OLD.ended_at - OLD.started_at), 0) AS seconds) d
         WHERE e.id = NEW.experiment_id
        ON CONFLICT (model_id, month) DO UPDATE
           SET interrupted = c.interrupted + excluded.interrupted,
               seconds = c.seconds + excluded.seconds,
               seconds_lost = c.seconds_lost + excluded.seconds_lost;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.attempt = 1 THEN
        -- the attempt's contribution (as add_to_compute_month with factor 1); lost only when a later
        -- attempt of its trial was written first
        INSERT INTO orchestrator.compute_month AS c (model_id, month, attempts, interrupted, seconds, seconds_lost)
        SELECT e.model_id,
               date_trunc('month', NEW.started_at AT TIME ZONE 'UTC')::date,
               1,
               (NEW.outcome = 'interrupted')::int,
               d.seconds,
               CASE WHEN EXISTS (SELECT 1 FROM orchestrator.trial_attempt l WHERE l.trial_id = NEW.trial_id AND l.attempt > NEW.attempt)
                    THEN d.seconds ELSE 0 END
          FROM orchestrator.experiment e,
               LATERAL (SELECT coalesce(extract(epoch FROM NEW.ended_at - NEW.started_at), 0) AS seconds) d
         WHERE e.id = NEW.experiment_id
        ON CONFLICT (model_id, month) DO UPDATE
           SET attempts = c.attempts + excluded.attempts,
               interrupted = c.interrupted + excluded.interrupted,
               seconds = c.seconds + excluded.seconds,
               seconds_lost = c.seconds_lost + excluded.seconds_lost;
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
COMMENT ON FUNCTION orchestrator.keep_compute_month() IS 'Trigger function on orchestrator.trial_attempt: takes the old row''s contribution out of orchestrator.compute_month and adds the new one''s (an end written, an outcome changed, a start moved to another month); an attempt inserted after others of its trial turns the previous last attempt''s seconds into lost seconds. The usual cases (an end or outcome written within the month; a trial''s first attempt inserted) are one inline upsert each.';

-- its work is now inline in keep_compute_month, its only caller
DROP FUNCTION orchestrator.move_in_compute_month(orchestrator.trial_attempt, orchestrator.trial_attempt, boolean);
