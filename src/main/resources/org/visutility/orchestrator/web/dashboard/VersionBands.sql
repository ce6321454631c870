-- The periods in which the model's versions were active that overlap [from, to), newest :limit,
-- oldest first: from a version's change to active until its next change (active_until NULL while
-- it is still active), with the change that made it active. A version active since the lifecycle
-- was introduced starts at that migration's change.
SELECT * FROM (
    SELECT ev.version, ev.at AS active_from, ev.until AS active_until, ev.event_id,
           ev.actor AS activated_by, ev.reason,
           ev.from_status = 'retired' AND ev.actor LIKE 'operator:%' AS rollback
      FROM (SELECT e.id AS event_id, mv.version, e.from_status, e.to_status, e.at, e.actor, e.reason,
                   lead(e.at) OVER (PARTITION BY e.model_version_id ORDER BY e.id) AS until
              FROM orchestrator.model_version_event e
              JOIN orchestrator.model_version mv ON mv.id = e.model_version_id
             WHERE mv.model_id = :model_id) ev
     WHERE ev.to_status = 'active'
       AND ev.at < coalesce(CAST(:to AS timestamptz), 'infinity')
       AND (ev.until IS NULL OR ev.until > coalesce(CAST(:from AS timestamptz), '-infinity'))
     ORDER BY ev.at DESC, ev.event_id DESC
     LIMIT :limit) newest
 ORDER BY active_from, event_id
