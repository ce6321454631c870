-- Events not yet delivered nor given up (the gauge orchestrator_openlineage_events_pending).
SELECT count(*) FROM orchestrator.openlineage_outbox WHERE delivered_at IS NULL AND given_up_at IS NULL
