-- Destinations no longer in the settings: no notification is enqueued for them any more.
DELETE FROM orchestrator.promotion_destination WHERE destination <> ALL(:destinations)
