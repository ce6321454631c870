-- A trial's own rows, alone (bench trials, scratch database): the fence (the floor's one-row update,
-- with the trials unit's mark, so the triggers that write attempts stay out), the ended trial's
-- outcome and the next trial's row, in one statement, as the trials unit's statement
-- (experiment/batch/TrialsUnit.sql) writes them; returns the rows written (3).
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
)
SELECT (SELECT count(*) FROM fence) + (SELECT count(*) FROM finished) + (SELECT count(*) FROM opened)
