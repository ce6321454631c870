-- The writes of one unit of the trials step in one statement (one round trip), in the unit's
-- transaction: first the fence (the run still owns the experiment: same version, still running;
-- the row stays locked until commit, so a takeover waits for us or we write nothing), then, only if
-- the fence held, the outcomes of the trials that ended, the rows of the trials proposed and the
-- step's checkpoint (its Spring Batch execution context, serialized as Spring Batch stores it;
-- :stepExecution is null when the unit leaves that write to Spring Batch).
-- The caller checks the counts: fenced 1, every ended trial finished (it was still running), every
-- proposal opened, the checkpoint written when one was given.
WITH fence AS (
    UPDATE orchestrator.experiment SET heartbeat_at = now()
     WHERE id = :experiment AND version = :version AND status = 'running'
    RETURNING id
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
    RETURNING t.number
), opened AS (
    -- UNIQUE (experiment_id, number) makes a second recording of the same number impossible
    INSERT INTO orchestrator.trial (experiment_id, number, params, status, attempt, worker, started_at, orchestrator_version)
    SELECT fence.id, o.number, CAST(o.params AS jsonb), 'running', 1, :worker, clock_timestamp(), :orchestratorVersion
      FROM fence, unnest(CAST(:openNumbers AS int[]), CAST(:openParams AS text[])) AS o(number, params)
    RETURNING number
), checkpoint AS (
    UPDATE batch.batch_step_execution_context c
       SET short_context = :shortContext, serialized_context = :serializedContext
      FROM fence
     WHERE c.step_execution_id = :stepExecution
    RETURNING c.step_execution_id
)
SELECT (SELECT count(*) FROM fence) AS fenced,
       ARRAY(SELECT number FROM finished) AS finished,
       (SELECT count(*) FROM opened) AS opened,
       (SELECT count(*) FROM checkpoint) AS checkpointed
