-- For each input (key, model_id, at_us): the model's last successful retrain (an experiment with
-- status succeeded, finished at or before the evaluation time) and since when the model is known
-- (registered, or first observed if earlier, counting only snapshots recorded by known_us; NULL:
-- every stored one). Staleness counts from the later of the two. Revisions keep a key's
-- observed_at, so only when a snapshot was first recorded matters here.
-- The model's last snapshot at or before the evaluation time, as known then, is the evidence
-- (none when it has none).
WITH input AS (
    SELECT i.key, i.model_id, timestamptz 'epoch' + i.at_us * interval '1 microsecond' AS at,
           coalesce(timestamptz 'epoch' + i.known_us * interval '1 microsecond', timestamptz 'infinity') AS known_at
      FROM unnest(:keys::int[], :model_ids::bigint[], :at_us::bigint[], :known_us::bigint[]) AS i(key, model_id, at_us, known_us)
)
SELECT input.key, last.id AS last_success_experiment, last.finished_at AS last_success,
       least(m.created_at,
             (SELECT s.observed_at FROM orchestrator.metric_snapshot s
               WHERE s.model_id = input.model_id AND s.ingested_at <= input.known_at
               ORDER BY s.observed_at LIMIT 1)) AS known_since,
       seen.id AS last_snapshot_id, seen.observed_at AS last_snapshot_at
  FROM input
  JOIN orchestrator.model m ON m.id = input.model_id
  LEFT JOIN LATERAL (
    SELECT e.id, e.finished_at FROM orchestrator.experiment e
     WHERE e.model_id = input.model_id AND e.status = 'succeeded' AND e.finished_at <= input.at
     ORDER BY e.finished_at DESC
     LIMIT 1
  ) last ON true
  LEFT JOIN LATERAL (
    SELECT s.id, s.observed_at FROM orchestrator.metric_snapshot s
     WHERE s.model_id = input.model_id AND s.observed_at <= input.at
       AND s.ingested_at <= input.known_at AND (s.superseded_at IS NULL OR s.superseded_at > input.known_at)
     ORDER BY s.observed_at DESC, s.id DESC
     LIMIT 1
  ) seen ON true
