-- Whether the policy-condition role has been created (by `orchestrator roles create`).
SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = :name)
