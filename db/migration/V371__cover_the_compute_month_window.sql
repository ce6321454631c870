-- Question 22 of docs/lineage.md reads lineage.compute_by_month for the last three months. The
-- roll-up is updated in place three times per trial, so its few live rows end up spread over many
-- pages (each update writes a new row version; a run moved to other months, or many trials between
-- two vacuums, leaves the table mostly free space): PostgreSQL read the table whole, or visited a
-- page per row through compute_month_by_month (V240), and the question cost what the history had
-- written. This index holds every column the view reads from the roll-up, so the window's months
-- are answered from the index alone (an index-only scan: the window's entries, next to each other).
-- It replaces compute_month_by_month (same key). The price: an update of the sums now writes an
-- index entry too (it could stay a heap-only update before).
CREATE INDEX compute_month_window ON orchestrator.compute_month (month, model_id)
    INCLUDE (attempts, interrupted, seconds, seconds_lost);
COMMENT ON INDEX orchestrator.compute_month_window IS 'The roll-up by month with every column lineage.compute_by_month reads: a question over recent months (docs/lineage.md question 22) reads only their entries, by an index-only scan, however many months and row versions the table holds.';

DROP INDEX orchestrator.compute_month_by_month;
