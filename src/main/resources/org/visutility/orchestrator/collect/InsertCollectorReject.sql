-- One row a SQL collector run rejected; run_at defaults to the transaction's time, shared by the run's rows.
INSERT INTO orchestrator.collector_rejects
       (collector, action, row_number, row_data, row_truncated, field, rule, rows_rejected_in_run, batch_id)
VALUES (:collector, :action, :rowNumber, CAST(:rowData AS jsonb), :truncated, :field, :rule, :total, :batch)
