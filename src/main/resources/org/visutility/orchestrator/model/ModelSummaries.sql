-- Each model (by name) with its active version, since when it is active (its latest change to
-- active; NULL when only the migration that introduced the lifecycle recorded it) and how many
-- versions it has in each status.
SELECT m.name AS model,
       a.version AS active_version,
       a.since AS active_since,
       count(v.id) FILTER (WHERE v.status = 'candidate') AS candidate,
       count(v.id) FILTER (WHERE v.status = 'approved')  AS approved,
       count(v.id) FILTER (WHERE v.status = 'rejected')  AS rejected,
       count(v.id) FILTER (WHERE v.status = 'active')    AS active,
       count(v.id) FILTER (WHERE v.status = 'retired')   AS retired
  FROM orchestrator.model m
  LEFT JOIN orchestrator.model_version v ON v.model_id = m.id
  LEFT JOIN LATERAL (
        SELECT av.version,
               (SELECT max(e.at) FROM orchestrator.model_version_event e
                 WHERE e.model_version_id = av.id AND e.to_status = 'active' AND e.actor <> 'migration') AS since
          FROM orchestrator.model_version av
         WHERE av.model_id = m.id AND av.status = 'active') a ON true
 GROUP BY m.id, m.name, a.version, a.since
 ORDER BY m.name
 LIMIT :limit
