-- A failing SQL collector is visible and does not stop. collector_watermark already holds each
-- collector's last run; it now also keeps its last success and last failure apart (a success no
-- longer hides the failure before it) and counts the failed runs in a row, which GET /health (on
-- any node: the runs are clustered Quartz jobs) compares with ORCHESTRATOR_COLLECTOR_DEGRADED_AFTER.
ALTER TABLE orchestrator.collector_watermark
    ADD COLUMN last_success_at      timestamptz,
    ADD COLUMN last_failure_at      timestamptz,
    ADD COLUMN last_failure_error   text,
    ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    ADD COLUMN last_skipped_count   integer CHECK (last_skipped_count >= 0);
UPDATE orchestrator.collector_watermark SET last_success_at = last_run_at WHERE last_outcome = 'ok';
UPDATE orchestrator.collector_watermark
   SET last_failure_at = last_run_at, last_failure_error = last_error, consecutive_failures = 1
 WHERE last_outcome = 'failed';
COMMENT ON COLUMN orchestrator.collector_watermark.last_success_at IS 'When a run last committed (database time); NULL before the first success.';
COMMENT ON COLUMN orchestrator.collector_watermark.last_failure_at IS 'When a run last failed (database time); kept after later successes. NULL if none has.';
COMMENT ON COLUMN orchestrator.collector_watermark.last_failure_error IS 'Why the run at last_failure_at failed (at most 2000 characters); kept after later successes, unlike last_error.';
COMMENT ON COLUMN orchestrator.collector_watermark.consecutive_failures IS 'Failed runs since the last success; 0 after a success. GET /health says degraded once it reaches ORCHESTRATOR_COLLECTOR_DEGRADED_AFTER.';
COMMENT ON COLUMN orchestrator.collector_watermark.last_skipped_count IS 'How many rows the last successful run left out (on_invalid_row: skip_row); each is in orchestrator.collector_rejects, up to a bound per run.';

-- The rows a SQL collector left out or that made it reject its run: what the row held and which rule
-- it broke, so that an operator can fix the warehouse query or data. Written in the transaction of
-- the run (with its snapshots and its watermark for skip_row; with the failure for reject_run).
-- Bounded: at most 100 rows per run, each value cut at 500 characters, 10000 rows per collector
-- (the oldest go first). Operators read it; it is not listed in orchestrator.reader_table because
-- rows copied from a warehouse may hold what analysts of the orchestrator should not see.
CREATE TABLE orchestrator.collector_rejects (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    collector         text        NOT NULL CHECK (collector ~ '^[A-Za-z0-9_.:/-]{1,250}$'),
    run_at            timestamptz NOT NULL DEFAULT now(),
    action            text        NOT NULL CHECK (action IN ('skipped', 'run_rejected')),
    row_number        integer     NOT NULL CHECK (row_number >= 1),
    row_data          jsonb       NOT NULL,
    row_truncated     boolean     NOT NULL,
    field             text        NOT NULL CHECK (char_length(field) BETWEEN 1 AND 300),
    rule              text        NOT NULL CHECK (char_length(rule) BETWEEN 1 AND 2000),
    rows_rejected_in_run integer  NOT NULL CHECK (rows_rejected_in_run >= 1),
    batch_id          bigint      REFERENCES orchestrator.ingest_batch (id) ON DELETE SET NULL
);
CREATE INDEX collector_rejects_by_collector ON orchestrator.collector_rejects (collector, id);
COMMENT ON TABLE orchestrator.collector_rejects IS 'Rows a SQL collector left out (on_invalid_row: skip_row) or that made it reject a run (reject_run), with the rule each broke. At most 100 rows per run and 10000 per collector (oldest removed first); rows_rejected_in_run minus the rows of that run here is how many were not recorded. Read by operators (docs/ops.md, "A collector is failing"); not open to the reader role.';
COMMENT ON COLUMN orchestrator.collector_rejects.id IS 'Ascending in the order the rows were recorded.';
COMMENT ON COLUMN orchestrator.collector_rejects.collector IS 'The collector''s name from the configuration (collectors: name), as in collector_watermark.';
COMMENT ON COLUMN orchestrator.collector_rejects.run_at IS 'When the run recorded it (its transaction''s time): the same for every row of one run, so (collector, run_at) names a run.';
COMMENT ON COLUMN orchestrator.collector_rejects.action IS 'skipped: the row was left out and the rest of the run was written; run_rejected: the row made the whole run fail (on_invalid_row: reject_run), nothing of it was written.';
COMMENT ON COLUMN orchestrator.collector_rejects.row_number IS 'The row''s place in the run''s pull, from 1 (as in the collector''s log lines and last_error).';
COMMENT ON COLUMN orchestrator.collector_rejects.row_data IS 'The row as the query returned it, column label to value (timestamps as ISO-8601 text); for a row rejected for its stored key, the snapshot it would have written.';
COMMENT ON COLUMN orchestrator.collector_rejects.row_truncated IS 'True when row_data was cut: values over 500 characters shortened, columns beyond the 64th left out.';
COMMENT ON COLUMN orchestrator.collector_rejects.field IS 'The field that broke a rule, e.g. observed_at or metrics.accuracy; "key" for a value that conflicts with a stored snapshot.';
COMMENT ON COLUMN orchestrator.collector_rejects.rule IS 'The rule it broke, in words a person can act on; further broken rules of the same row follow after "; also".';
COMMENT ON COLUMN orchestrator.collector_rejects.rows_rejected_in_run IS 'How many rows the run rejected in all, recorded here or not.';
COMMENT ON COLUMN orchestrator.collector_rejects.batch_id IS 'The ingest batch the rest of the run was written as (skipped rows of a run that inserted snapshots); NULL otherwise.';
