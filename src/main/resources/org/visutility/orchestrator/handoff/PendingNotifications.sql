-- Notifications not yet delivered nor given up (the gauge orchestrator_promotion_deliveries_pending).
SELECT count(*) FROM orchestrator.promotion_outbox WHERE delivered_at IS NULL AND given_up_at IS NULL
