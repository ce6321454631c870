-- A durable OpenLineage export: the experiment's state change and its run event are committed
-- together (a trigger on orchestrator.experiment writes the event rows), and a clustered Quartz
-- job delivers them later, retrying with backoff. A node that dies right after the change leaves
-- the event for another node; nothing is lost with the node's memory.

-- The trigger enqueues only for the destinations listed here, which every node with the export on
-- writes when it starts (and a node with the export off empties): with the export off nothing
-- accumulates.
CREATE TABLE orchestrator.openlineage_destination (
    destination   text        PRIMARY KEY,
    registered_at timestamptz NOT NULL DEFAULT now(),
    registered_by text        NOT NULL
);
COMMENT ON TABLE orchestrator.openlineage_destination IS 'Where OpenLineage run events are delivered (openlineage_url, openlineage_file), as written by the node that started last; empty when the export is off, and then no event is enqueued.';
COMMENT ON COLUMN orchestrator.openlineage_destination.destination IS 'The endpoint URL (openlineage_url) or the file as a file: URI (openlineage_file).';
COMMENT ON COLUMN orchestrator.openlineage_destination.registered_at IS 'When a node first registered the destination.';
COMMENT ON COLUMN orchestrator.openlineage_destination.registered_by IS 'The Quartz instance id of the node that registered it.';

CREATE TABLE orchestrator.openlineage_outbox (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    experiment_id   bigint      NOT NULL REFERENCES orchestrator.experiment (id) ON DELETE CASCADE,
    event_type      text        NOT NULL CHECK (event_type IN ('START', 'COMPLETE', 'FAIL', 'ABORT')),
    destination     text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    leased_by       text,
    lease_until     timestamptz,
    last_attempt_at timestamptz,
    last_error      text,
    delivered_at    timestamptz,
    given_up_at     timestamptz,
    CONSTRAINT openlineage_outbox_once UNIQUE (experiment_id, event_type, destination),
    CONSTRAINT openlineage_outbox_one_end CHECK (delivered_at IS NULL OR given_up_at IS NULL)
);
COMMENT ON TABLE orchestrator.openlineage_outbox IS 'One OpenLineage run event of an experiment for one destination, written in the transaction that changed the experiment and delivered (at least once) by the clustered openlineage-delivery job. Pending: delivered_at and given_up_at both NULL.';
COMMENT ON COLUMN orchestrator.openlineage_outbox.id IS 'Surrogate key, in the order the events were enqueued.';
COMMENT ON COLUMN orchestrator.openlineage_outbox.experiment_id IS 'The experiment (the OpenLineage run) the event describes.';
COMMENT ON COLUMN orchestrator.openlineage_outbox.event_type IS 'START (the run was prepared), COMPLETE (succeeded), FAIL (failed or abandoned) or ABORT (cancelled).';
COMMENT ON COLUMN orchestrator.openlineage_outbox.destination IS 'Where it goes: a row of orchestrator.openlineage_destination when it was enqueued.';
COMMENT ON COLUMN orchestrator.openlineage_outbox.created_at IS 'When the state change that enqueued it committed (its transaction''s time).';
COMMENT ON COLUMN orchestrator.openlineage_outbox.attempts IS 'How many times a node claimed it to send it.';
COMMENT ON COLUMN orchestrator.openlineage_outbox.next_attempt_at IS 'Not sent before this time: the backoff after a failed attempt (1 s doubling, at most 10 min).';
COMMENT ON COLUMN orchestrator.openlineage_outbox.leased_by IS 'The node (Quartz instance id) that claimed it last.';
COMMENT ON COLUMN orchestrator.openlineage_outbox.lease_until IS 'While in the future, the claiming node is sending it and no other node takes it; NULL once the attempt is recorded.';
COMMENT ON COLUMN orchestrator.openlineage_outbox.last_attempt_at IS 'When the last attempt was recorded (sent or failed).';
COMMENT ON COLUMN orchestrator.openlineage_outbox.last_error IS 'Why the last attempt failed (the endpoint''s answer, a timeout, an unreadable experiment).';
COMMENT ON COLUMN orchestrator.openlineage_outbox.delivered_at IS 'When the destination accepted it.';
COMMENT ON COLUMN orchestrator.openlineage_outbox.given_up_at IS 'When delivery stopped without success: retried for 24 h, or its destination was removed from the settings.';

-- The delivery job's claim: pending rows by due time.
CREATE INDEX openlineage_outbox_pending ON orchestrator.openlineage_outbox (next_attempt_at, id)
    WHERE delivered_at IS NULL AND given_up_at IS NULL;

-- One statement per transition, so every path is covered: the runner, experiments cancel, ops
-- abandon, the rescuer marking a run failed. ON CONFLICT: an event is enqueued once per
-- destination (a restarted run that ends the same way again sends no second event).
CREATE FUNCTION orchestrator.enqueue_openlineage_events() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.prepared_at IS NULL AND NEW.prepared_at IS NOT NULL THEN
        INSERT INTO orchestrator.openlineage_outbox (experiment_id, event_type, destination)
        SELECT NEW.id, 'START', d.destination FROM orchestrator.openlineage_destination d
        ON CONFLICT ON CONSTRAINT openlineage_outbox_once DO NOTHING;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('succeeded', 'failed', 'cancelled', 'abandoned') THEN
        INSERT INTO orchestrator.openlineage_outbox (experiment_id, event_type, destination)
        SELECT NEW.id, CASE NEW.status WHEN 'succeeded' THEN 'COMPLETE' WHEN 'cancelled' THEN 'ABORT' ELSE 'FAIL' END,
               d.destination
          FROM orchestrator.openlineage_destination d
        ON CONFLICT ON CONSTRAINT openlineage_outbox_once DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION orchestrator.enqueue_openlineage_events() IS 'Trigger function: enqueues an experiment''s OpenLineage events (START when prepared_at is first set, COMPLETE/FAIL/ABORT when it reaches a final status) for every registered destination, in the same transaction.';

CREATE TRIGGER experiment_openlineage_events
    AFTER UPDATE OF status, prepared_at ON orchestrator.experiment
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.prepared_at IS DISTINCT FROM NEW.prepared_at)
    EXECUTE FUNCTION orchestrator.enqueue_openlineage_events();
