-- The instant revisions are recorded at: read after the keys' current revisions are locked, so it
-- is later than the recording of any revision this batch waited for.
SELECT clock_timestamp()
