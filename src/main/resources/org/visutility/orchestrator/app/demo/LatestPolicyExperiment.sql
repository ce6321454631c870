-- The newest experiment a policy opened for the model (the demo waits for its drift to fire one).
SELECT e.id
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
 WHERE m.name = :model AND e.trigger = 'policy'
 ORDER BY e.id DESC
 LIMIT 1
