-- One production histogram per bench model (those with id % :workers = :worker), feature and hour,
-- for hours :from_hour (inclusive) to :to_hour (exclusive) before :newest, ingested at the instant it
-- describes. Shaped like the reference with a little noise; in the newest hour (hour 0) every
-- :drift_every-th model's features lean to the high bins, so its PSI is far above 0.2.
INSERT INTO orchestrator.distribution_snapshot (model_id, model_version_id, observed_at, feature, kind, edges, counts, sample_count,
                                                source, ingested_at)
SELECT m.id, v.id, :newest - h * interval '1 hour', 'f' || lpad(f::text, 2, '0'), 'numeric', e.edges, c.counts,
       (SELECT sum(x) FROM unnest(c.counts) x), 'bench', :newest - h * interval '1 hour'
  FROM orchestrator.model m
  JOIN orchestrator.model_version v ON v.model_id = m.id
 CROSS JOIN generate_series(:from_hour, :to_hour - 1) h
 CROSS JOIN generate_series(1, :features) f
 CROSS JOIN (SELECT array_agg(e::float8 ORDER BY e) AS edges FROM generate_series(0, :bins) e) e
 CROSS JOIN LATERAL (SELECT array_agg((1000 + (b * 37 + f * 11) % 500 + (m.id * b + h) % 23
                                       + CASE WHEN h = 0 AND m.id % :drift_every = 0 THEN b * 1000 ELSE 0 END)::bigint ORDER BY b) AS counts
                       FROM generate_series(1, :bins) b) c
 WHERE m.name LIKE 'bench-%' AND m.id % :workers = :worker
