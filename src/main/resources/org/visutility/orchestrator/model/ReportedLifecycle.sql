-- Of the (model, version) pairs a snapshot batch reports, with the newest observation of each
-- (epoch microseconds), those whose lifecycle the batch may change: versions never seen (to be
-- registered) and approved versions (activated by their first snapshots). Usually none.
SELECT m.id AS model_id, p.version,
       timestamptz 'epoch' + p.newest_us * interval '1 microsecond' AS newest,
       v.id AS version_id
  FROM unnest(CAST(:models AS text[]), CAST(:versions AS text[]), CAST(:newest_us AS bigint[])) AS p (model, version, newest_us)
  JOIN orchestrator.model m ON m.name = p.model
  LEFT JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = p.version
 WHERE v.id IS NULL OR v.status = 'approved'
 ORDER BY m.id, newest DESC, p.version DESC
