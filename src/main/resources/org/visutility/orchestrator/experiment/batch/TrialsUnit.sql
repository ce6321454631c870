-- The writes of one unit of the trials step in one statement (one round trip), in the unit's
-- transaction: first the fence (the run still owns the experiment: same version, still running;
-- the row stays locked until commit, so a takeover waits for us or we write nothing), then, only if
-- the fence held, the outcomes of the trials that ended, the rows of the trials proposed, the
-- step's checkpoint (its Spring Batch execution context, serialized as Spring Batch stores it) and
-- the step's execution row as Spring Batch writes it after each unit: the same columns, version + 1,
-- only from the version this run read (Spring Batch's optimistic lock). :stepExecution is null when
-- the unit leaves those two writes to Spring Batch. The job execution's version and status are read
-- as Spring Batch reads them after each unit (a stop requested through it).
-- trials_unit_holds (V365) fails the statement when the fence held but a write is missing, so the
-- unit's transaction cannot commit part of it; the caller checks fenced (0: the run lost the experiment).
-- When the unit's commit rides in the same round trip (:commits, CommitUnit.sql), a failed fence fails
-- the statement instead (trials_unit_commits, V375, SQLSTATE VU001), so that commit is skipped.
-- The statement also writes its trials' attempt rows and their net compute per month, as the
-- triggers trial_attempts (V150) and compute_month (V376) would have, one trigger call and one
-- upsert each per trial; the triggers skip the rows written while the statement's mark is set
-- (V392: set with the fence's row, before any write, cleared after the last).
WITH fence AS (
    UPDATE orchestrator.experiment SET heartbeat_at = now()
     WHERE id = :experiment AND version = :version AND status = 'running'
    RETURNING id, model_id, orchestrator.trials_unit_marks_its_writes() AS marked
), finished AS (
    UPDATE orchestrator.trial t
       SET status = f.status, score = f.score, metrics = CAST(f.metrics AS jsonb), reports = CAST(f.reports AS jsonb),
           artifact_uri = f.artifact_uri, error = f.error, reported_reference = CAST(f.reference AS jsonb),
           finished_at = clock_timestamp()
      FROM fence,
           unnest(CAST(:numbers AS int[]), CAST(:statuses AS text[]), CAST(:scores AS double precision[]),
                  CAST(:metrics AS text[]), CAST(:reports AS text[]), CAST(:artifactUris AS text[]), CAST(:errors AS text[]),
                  CAST(:references AS text[]))
               AS f(number, status, score, metrics, reports, artifact_uri, error, reference)
     WHERE t.experiment_id = fence.id AND t.number = f.number AND t.status = 'running'
    RETURNING t.id, t.attempt, t.status, t.finished_at, t.error
), opened AS (
    -- UNIQUE (experiment_id, number) makes a second recording of the same number impossible
    INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at, orchestrator_version)
    SELECT fence.id, o.number, CAST(o.params AS jsonb), 'running', 1, :worker, clock_timestamp(), :orchestratorVersion
      FROM fence, unnest(CAST(:openNumbers AS int[]), CAST(:openParams AS text[])) AS o(number, params)
    RETURNING id, experiment_id, number, attempt, worker, orchestrator_version, started_at
), attempts_ended AS (
    -- record_trial_attempt on a trial leaving running: its open attempt ends with the trial's outcome;
    -- was is the attempt as it was (the statement's snapshot), for the difference in compute
    UPDATE orchestrator.trial_attempt a
       SET outcome = f.status, ended_at = coalesce(f.finished_at, clock_timestamp()),
           error = CASE WHEN f.status = 'failed' THEN f.error END
      FROM finished f
      JOIN orchestrator.trial_attempt was ON was.trial_id = f.id AND was.attempt = f.attempt AND was.outcome = 'running'
     WHERE f.status <> 'running' AND a.id = was.id
    RETURNING a.started_at, a.outcome, was.outcome AS was_outcome,
              coalesce(extract(epoch FROM a.ended_at - a.started_at), 0)
                  - coalesce(extract(epoch FROM was.ended_at - was.started_at), 0) AS seconds,
              EXISTS (SELECT 1 FROM orchestrator.trial_attempt l WHERE l.trial_id = a.trial_id AND l.attempt > a.attempt) AS lost
), attempts_opened AS (
    -- record_trial_attempt on a trial inserted: its first attempt, running
    INSERT INTO orchestrator.trial_attempt (trial_id, experiment_id, trial_number, attempt, worker, orchestrator_version, started_at)
    SELECT o.id, o.experiment_id, o.number, o.attempt, o.worker, o.orchestrator_version, o.started_at
      FROM opened o
    RETURNING started_at, outcome
), months AS (
    -- keep_compute_month for those rows, added up: a running attempt counts once and adds no
    -- seconds; an ended one adds its seconds (lost too when a later attempt of its trial exists)
    INSERT INTO orchestrator.compute_month AS c (model_id, month, attempts, interrupted, seconds, seconds_lost)
    SELECT fence.model_id, date_trunc('month', x.started_at AT TIME ZONE 'UTC')::date,
           sum(x.attempts), sum(x.interrupted), sum(x.seconds), sum(x.seconds_lost)
      FROM fence,
           (SELECT e.started_at, 0 AS attempts,
                   (e.outcome = 'interrupted')::int - (e.was_outcome = 'interrupted')::int AS interrupted,
                   e.seconds, CASE WHEN e.lost THEN e.seconds ELSE 0 END AS seconds_lost
              FROM attempts_ended e
            UNION ALL
            SELECT o.started_at, 1, (o.outcome = 'interrupted')::int, 0, 0
              FROM attempts_opened o) x
     GROUP BY fence.model_id, date_trunc('month', x.started_at AT TIME ZONE 'UTC')::date
    ON CONFLICT (model_id, month) DO UPDATE
       SET attempts = c.attempts + excluded.attempts,
           interrupted = c.interrupted + excluded.interrupted,
           seconds = c.seconds + excluded.seconds,
           seconds_lost = c.seconds_lost + excluded.seconds_lost
    RETURNING c.month
), checkpoint AS (
    UPDATE batch.batch_step_execution_context c
       SET short_context = :shortContext, serialized_context = :serializedContext
      FROM fence
     WHERE c.step_execution_id = :stepExecution
    RETURNING c.step_execution_id
), step AS (
    UPDATE batch.batch_step_execution s
       SET start_time = CAST(:startTime AS timestamp), end_time = CAST(:endTime AS timestamp), status = :stepStatus,
           commit_count = :commitCount, read_count = :readCount, filter_count = :filterCount, write_count = :writeCount,
           exit_code = :exitCode, exit_message = :exitMessage, version = s.version + 1,
           read_skip_count = :readSkipCount, process_skip_count = :processSkipCount, write_skip_count = :writeSkipCount,
           rollback_count = :rollbackCount, last_updated = CAST(:lastUpdated AS timestamp)
      FROM fence
     WHERE s.step_execution_id = :stepExecution AND s.version = :stepVersion
    RETURNING s.step_execution_id
), counts AS (
    SELECT (SELECT count(*) FROM fence) AS fenced,
           (SELECT count(*) FROM finished) AS finished,
           (SELECT count(*) FROM opened) AS opened,
           (SELECT count(*) FROM checkpoint) AS checkpointed,
           (SELECT count(*) FROM step) AS step_written,
           (SELECT count(*) FROM attempts_ended) AS attempts_ended,
           (SELECT count(*) FROM attempts_opened) AS attempts_opened,
           (SELECT count(*) FROM months) AS months
)
SELECT orchestrator.trials_unit_clears_its_mark(
           orchestrator.trials_unit_commits(
               orchestrator.trials_unit_holds(counts.fenced, cardinality(CAST(:numbers AS int[])), counts.finished,
                                              cardinality(CAST(:openNumbers AS int[])), counts.opened,
                                              CAST(:stepExecution AS bigint) IS NOT NULL, counts.checkpointed,
                                              CAST(:stepExecution AS bigint) IS NOT NULL, counts.step_written),
               CAST(:commits AS boolean)),
           counts.attempts_ended, counts.attempts_opened, counts.months) AS fenced,
       j.version AS job_version, j.status AS job_status
  FROM counts
  LEFT JOIN batch.batch_job_execution j ON j.job_execution_id = :jobExecution
