-- A model's version status changes made within [from, to), newest :limit first (in the order they
-- committed: changes of one model are serialised), each with its kind: migration (the status found
-- when the lifecycle was introduced), registration, approval (to approved), rejection (to
-- rejected), rollback (retired -> active by an operator), activation (to active) or retirement.
-- With :markers, only the kinds the charts mark: approvals, rejections and rollbacks.
SELECT * FROM (
    SELECT e.id          AS event_id,
           mv.version,
           e.from_status,
           e.to_status,
           e.at,
           e.actor,
           e.reason,
           CASE WHEN e.actor = 'migration' THEN 'migration'
                WHEN e.from_status IS NULL THEN 'registration'
                WHEN e.to_status = 'approved' THEN 'approval'
                WHEN e.to_status = 'rejected' THEN 'rejection'
                WHEN e.from_status = 'retired' AND e.to_status = 'active' AND e.actor LIKE 'operator:%' THEN 'rollback'
                WHEN e.to_status = 'active' THEN 'activation'
                WHEN e.to_status = 'retired' THEN 'retirement'
                ELSE 'change' END AS kind,
           mv.experiment_id
      FROM orchestrator.model_version_event e
      JOIN orchestrator.model_version mv ON mv.id = e.model_version_id
     WHERE mv.model_id = :model_id
       AND e.at >= coalesce(CAST(:from AS timestamptz), '-infinity')
       AND e.at <  coalesce(CAST(:to AS timestamptz), 'infinity')) ev
 WHERE NOT CAST(:markers AS boolean) OR ev.kind IN ('approval', 'rejection', 'rollback')
 ORDER BY ev.event_id DESC
 LIMIT :limit
