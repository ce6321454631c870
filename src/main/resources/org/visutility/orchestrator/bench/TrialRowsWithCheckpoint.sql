-- The least a trial writes, alone (bench trials, scratch database): its own rows (TrialRowsAlone.sql)
-- and the step's checkpoint and execution row, as Spring Batch writes them after each unit (version
-- + 1), in one statement, as the trials unit's statement writes them; returns the rows written (5).
WITH fence AS (
    UPDATE orchestrator.experiment SET heartbeat_at = now()
     WHERE id = :experiment AND version = :version AND status = 'running'
    RETURNING id, orchestrator.trials_unit_marks_its_writes() AS marked
), finished AS (
    UPDATE orchestrator.trial t
       SET status = 'complete', score = :score, metrics = CAST(:metrics AS jsonb), reports = CAST('[]' AS jsonb),
           finished_at = clock_timestamp()
      FROM fence
     WHERE t.experiment_id = fence.id AND t.status = 'running'
    RETURNING t.number
), opened AS (
    INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at, orchestrator_version)
    SELECT fence.id, finished.number + 1, CAST(:params AS jsonb), 'running', 1, :worker, clock_timestamp(), :orchestratorVersion
      FROM fence, finished
    RETURNING id
), checkpoint AS (
    UPDATE batch.batch_step_execution_context c
       SET short_context = :checkpoint, serialized_context = NULL
      FROM fence
     WHERE c.step_execution_id = :stepExecution
    RETURNING c.step_execution_id
), step AS (
    UPDATE batch.batch_step_execution s
       SET start_time = s.start_time, end_time = NULL, status = 'STARTED', commit_count = s.commit_count + 1,
           read_count = 0, filter_count = 0, write_count = 0, exit_code = 'EXECUTING', exit_message = '',
           version = s.version + 1, read_skip_count = 0, process_skip_count = 0, write_skip_count = 0,
           rollback_count = 0, last_updated = localtimestamp
      FROM fence
     WHERE s.step_execution_id = :stepExecution
    RETURNING s.step_execution_id
)
SELECT (SELECT count(*) FROM fence) + (SELECT count(*) FROM finished) + (SELECT count(*) FROM opened)
       + (SELECT count(*) FROM checkpoint) + (SELECT count(*) FROM step)
