-- A version's latest status change: who and why (for messages such as "rejected by gate: ...").
SELECT actor, reason FROM orchestrator.model_version_event WHERE model_version_id = :version ORDER BY id DESC LIMIT 1
