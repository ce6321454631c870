-- A numeric reference of :bins bins (edges 0..:bins) for each of :features features (f01, f02, ...)
-- of every bench model's version: a fixed, uneven shape per feature.
INSERT INTO orchestrator.reference_distribution (model_version_id, feature, kind, edges, counts, sample_count, origin, set_by)
SELECT v.id, 'f' || lpad(f::text, 2, '0'), 'numeric',
       (SELECT array_agg(e::float8 ORDER BY e) FROM generate_series(0, :bins) e),
       c.counts, (SELECT sum(x) FROM unnest(c.counts) x), 'file', 'orchestrator bench drift'
  FROM orchestrator.model_version v
  JOIN orchestrator.model m ON m.id = v.model_id AND m.name LIKE 'bench-%'
 CROSS JOIN generate_series(1, :features) f
 CROSS JOIN LATERAL (SELECT array_agg((1000 + (b * 37 + f * 11) % 500)::bigint ORDER BY b) AS counts
                       FROM generate_series(1, :bins) b) c
