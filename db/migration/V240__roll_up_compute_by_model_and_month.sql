-- Compute per model and month, kept up to date in the transaction that writes each trial attempt.
-- Adding up lineage.trial_attempts reads every attempt ever made (167 ms at 100,000 trials, growing
-- with the history); this table holds one row per model and month, so the question reads a few rows.
-- A trigger on orchestrator.trial_attempt (whose rows V150's triggers write on every path: a trial
-- opened, run again, finished, interrupted) subtracts a row's old contribution and adds its new one,
-- so an attempt counts once, its seconds once it has ended, and its seconds as lost once a later
-- attempt of the same trial exists (the view's is_last_attempt is false then).

CREATE TABLE orchestrator.compute_month (
    model_id     bigint  NOT NULL REFERENCES orchestrator.model (id),
    month        date    NOT NULL CHECK (extract(day FROM month) = 1),
    attempts     bigint  NOT NULL DEFAULT 0,
    interrupted  bigint  NOT NULL DEFAULT 0,
    seconds      numeric NOT NULL DEFAULT 0,
    seconds_lost numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (model_id, month)
);
COMMENT ON TABLE orchestrator.compute_month IS 'Trial attempts added up per model and calendar month (UTC) of their start: kept by the trigger compute_month on orchestrator.trial_attempt in the transaction that writes the attempt, so it always equals a sum over lineage.trial_attempts. Read through lineage.compute_by_month.';
COMMENT ON COLUMN orchestrator.compute_month.model_id IS 'The model whose experiments ran the attempts.';
COMMENT ON COLUMN orchestrator.compute_month.month IS 'First day of the month (UTC) in which the attempts started.';
COMMENT ON COLUMN orchestrator.compute_month.attempts IS 'Attempts started in the month, every outcome (running ones included).';
COMMENT ON COLUMN orchestrator.compute_month.interrupted IS 'Of those, attempts whose outcome is interrupted (a kill, a failed or cancelled run, a takeover cut them short).';
COMMENT ON COLUMN orchestrator.compute_month.seconds IS 'Seconds from start to end of the attempts that have ended (an attempt still running, or interrupted with no known end, adds nothing).';
COMMENT ON COLUMN orchestrator.compute_month.seconds_lost IS 'Of those seconds, the ones of attempts that a later attempt of the same trial replaced.';

CREATE INDEX compute_month_by_month ON orchestrator.compute_month (month, model_id);

INSERT INTO orchestrator.reader_table (table_name, why) VALUES
    ('orchestrator.compute_month', 'trial attempts added up per model and month: compute spent, and lost to attempts run again');

CREATE FUNCTION orchestrator.add_to_compute_month(attempt orchestrator.trial_attempt, lost boolean, factor integer) RETURNS void
    LANGUAGE sql AS $$
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
$$;
COMMENT ON FUNCTION orchestrator.add_to_compute_month(orchestrator.trial_attempt, boolean, integer) IS 'Adds (factor 1) or takes away (factor -1) one attempt''s contribution to its model''s month in orchestrator.compute_month; lost says whether a later attempt of its trial exists (its seconds then count as lost too).';

CREATE FUNCTION orchestrator.keep_compute_month() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    lost     boolean;
    replaced orchestrator.trial_attempt;
BEGIN
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
COMMENT ON FUNCTION orchestrator.keep_compute_month() IS 'Trigger function on orchestrator.trial_attempt: takes the old row''s contribution out of orchestrator.compute_month and adds the new one''s (an end written, an outcome changed, a start moved to another month); an attempt inserted after others of its trial turns the previous last attempt''s seconds into lost seconds.';

CREATE TRIGGER compute_month
    AFTER INSERT OR UPDATE OR DELETE ON orchestrator.trial_attempt
    FOR EACH ROW
    EXECUTE FUNCTION orchestrator.keep_compute_month();

-- What existed before: every attempt recorded so far.
INSERT INTO orchestrator.compute_month (model_id, month, attempts, interrupted, seconds, seconds_lost)
SELECT e.model_id,
       date_trunc('month', a.started_at AT TIME ZONE 'UTC')::date,
       count(*),
       count(*) FILTER (WHERE a.outcome = 'interrupted'),
       coalesce(sum(extract(epoch FROM a.ended_at - a.started_at)), 0),
       coalesce(sum(extract(epoch FROM a.ended_at - a.started_at))
                    FILTER (WHERE EXISTS (SELECT 1 FROM orchestrator.trial_attempt l
                                           WHERE l.trial_id = a.trial_id AND l.attempt > a.attempt)), 0)
  FROM orchestrator.trial_attempt a
  JOIN orchestrator.experiment e ON e.id = a.experiment_id
 GROUP BY 1, 2;

CREATE VIEW lineage.compute_by_month AS
SELECT c.model_id,
       m.name         AS model,
       c.month,
       c.attempts,
       c.interrupted,
       c.seconds,
       c.seconds_lost
  FROM orchestrator.compute_month c
  JOIN orchestrator.model m ON m.id = c.model_id
 WHERE c.attempts > 0;
COMMENT ON VIEW lineage.compute_by_month IS 'Compute per model and calendar month (UTC), counting every attempt of every trial: the sums of lineage.trial_attempts by model and month of started_at, kept as attempts are written, so reading a month costs the same however long the history.';
COMMENT ON COLUMN lineage.compute_by_month.model_id IS 'The model (orchestrator.model.id).';
COMMENT ON COLUMN lineage.compute_by_month.model IS 'The model''s name.';
COMMENT ON COLUMN lineage.compute_by_month.month IS 'First day of the month (UTC) in which the attempts started.';
COMMENT ON COLUMN lineage.compute_by_month.attempts IS 'Attempts started in the month, whatever their outcome (running ones included).';
COMMENT ON COLUMN lineage.compute_by_month.interrupted IS 'Attempts a kill, a failed or cancelled run or a takeover cut short (outcome interrupted).';
COMMENT ON COLUMN lineage.compute_by_month.seconds IS 'Seconds the ended attempts ran (sum of lineage.trial_attempts.duration_seconds).';
COMMENT ON COLUMN lineage.compute_by_month.seconds_lost IS 'Seconds of attempts that a later attempt of the same trial replaced (is_last_attempt false): compute spent again.';
