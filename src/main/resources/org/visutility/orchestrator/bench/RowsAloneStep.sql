-- The rows-alone runs of bench trials (TrialRowsAlone), in their scratch database only: a Spring
-- Batch job execution with a started trials step and its checkpoint row, as the engine leaves them
-- between two units of the trials step; returns the step's and the job's execution ids.
WITH instance AS (
    INSERT INTO batch.batch_job_instance (job_instance_id, version, job_name, job_key)
    VALUES (nextval('batch.batch_job_instance_seq'), 0, 'bench-rows-alone', md5(CAST(:experiment AS text)))
    RETURNING job_instance_id
), execution AS (
    INSERT INTO batch.batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, status,
                                           exit_code, exit_message, last_updated)
    SELECT nextval('batch.batch_job_execution_seq'), 1, job_instance_id, localtimestamp, localtimestamp, 'STARTED',
           'UNKNOWN', '', localtimestamp
      FROM instance
    RETURNING job_execution_id
), step AS (
    INSERT INTO batch.batch_step_execution (step_execution_id, version, step_name, job_execution_id, create_time, start_time,
                                            status, commit_count, read_count, filter_count, write_count, read_skip_count,
                                            write_skip_count, process_skip_count, rollback_count, exit_code, exit_message,
                                            last_updated)
    SELECT nextval('batch.batch_step_execution_seq'), 1, 'trials', job_execution_id, localtimestamp, localtimestamp,
           'STARTED', 0, 0, 0, 0, 0, 0, 0, 0, 'EXECUTING', '', localtimestamp
      FROM execution
    RETURNING step_execution_id
), context AS (
    INSERT INTO batch.batch_step_execution_context (step_execution_id, short_context)
    SELECT step_execution_id, :checkpoint FROM step
    RETURNING step_execution_id
)
SELECT context.step_execution_id, execution.job_execution_id FROM context, execution
