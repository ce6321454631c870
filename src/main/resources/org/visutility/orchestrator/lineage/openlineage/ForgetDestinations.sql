-- Destinations no longer in the settings: no event is enqueued for them any more.
DELETE FROM orchestrator.openlineage_destination WHERE destination <> ALL(:destinations)
