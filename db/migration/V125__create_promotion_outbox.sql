-- The promotion hand-off: when a version is approved (by the gate, an operator's models promote,
-- or activate: auto) and when a rollback puts a retired version back into service, the serving
-- stack is told. A trigger on orchestrator.model_version_event writes the notification, its JSON
-- payload built here with jsonb functions, in the transaction that records the change; a
-- clustered Quartz job (handoff.promotion-delivery) delivers it later, at least once, with
-- backoff. A change that rolls back leaves no notification; a node that dies after the commit
-- leaves it for another node.

-- The trigger enqueues only for the destinations listed here, which every serve node writes when
-- it starts from its settings (promotion_webhook_url, promotion_command) and a serve node with
-- neither empties: with no destination nothing accumulates. The URL and the command stay in the
-- settings: this table names only the kind.
CREATE TABLE orchestrator.promotion_destination (
    destination   text        PRIMARY KEY CHECK (destination IN ('webhook', 'command')),
    registered_at timestamptz NOT NULL DEFAULT now(),
    registered_by text        NOT NULL
);
COMMENT ON TABLE orchestrator.promotion_destination IS 'Which promotion hand-off destinations are configured, as written by the serve node that started last: webhook (promotion_webhook_url) and/or command (promotion_command); empty when neither is set, and then no notification is enqueued.';
COMMENT ON COLUMN orchestrator.promotion_destination.destination IS 'webhook (an HTTP POST to promotion_webhook_url) or command (the program promotion_command, the JSON on its stdin).';
COMMENT ON COLUMN orchestrator.promotion_destination.registered_at IS 'When a node first registered the destination.';
COMMENT ON COLUMN orchestrator.promotion_destination.registered_by IS 'The Quartz instance id of the node that registered it.';

CREATE TABLE orchestrator.promotion_outbox (
    id                     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_version_event_id bigint      NOT NULL REFERENCES orchestrator.model_version_event (id),
    delivery_id            uuid        NOT NULL,
    event                  text        NOT NULL CHECK (event IN ('approved', 'rolled_back')),
    destination            text        NOT NULL CHECK (destination IN ('webhook', 'command')),
    payload                jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    created_at             timestamptz NOT NULL DEFAULT now(),
    armed_at               timestamptz NOT NULL DEFAULT now(),
    attempts               integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at        timestamptz NOT NULL DEFAULT now(),
    leased_by              text,
    lease_until            timestamptz,
    last_attempt_at        timestamptz,
    last_error             text,
    delivered_at           timestamptz,
    given_up_at            timestamptz,
    CONSTRAINT promotion_outbox_once UNIQUE (model_version_event_id, destination),
    CONSTRAINT promotion_outbox_one_end CHECK (delivered_at IS NULL OR given_up_at IS NULL)
);
COMMENT ON TABLE orchestrator.promotion_outbox IS 'One promotion hand-off notification (a version approved, or rolled back into service) for one destination, written by a trigger in the transaction of the version event and delivered at least once by the clustered promotion-delivery job. Pending: delivered_at and given_up_at both NULL.';
COMMENT ON COLUMN orchestrator.promotion_outbox.id IS 'Surrogate key, in the order the notifications were enqueued.';
COMMENT ON COLUMN orchestrator.promotion_outbox.model_version_event_id IS 'The version event it announces (orchestrator.model_version_event.id): to_status approved, or retired -> active by a rollback.';
COMMENT ON COLUMN orchestrator.promotion_outbox.delivery_id IS 'The notification''s id, the same on every attempt and for every destination of one event (payload delivery_id, header X-Orchestrator-Delivery): receivers de-duplicate by it.';
COMMENT ON COLUMN orchestrator.promotion_outbox.event IS 'approved (the version was approved) or rolled_back (a retired version became active again; not when the serving stack''s own snapshots did it).';
COMMENT ON COLUMN orchestrator.promotion_outbox.destination IS 'Where it goes: webhook or command (a row of orchestrator.promotion_destination when it was enqueued).';
COMMENT ON COLUMN orchestrator.promotion_outbox.payload IS 'The JSON sent, exactly (the webhook body, the command''s stdin): delivery_id, event, model, version, model_version_id, artifact_uri, hyperparameters, hyperparameter_set_id, experiment_id, gate, actor, reason, at, event_id, replaces (docs/promotion-handoff.md).';
COMMENT ON COLUMN orchestrator.promotion_outbox.created_at IS 'When the version event that enqueued it committed (its transaction''s time).';
COMMENT ON COLUMN orchestrator.promotion_outbox.armed_at IS 'Where the give-up clock starts: created_at, or when an operator re-armed it (ops/runbook.md, procedure 14).';
COMMENT ON COLUMN orchestrator.promotion_outbox.attempts IS 'How many times a node claimed it to send it.';
COMMENT ON COLUMN orchestrator.promotion_outbox.next_attempt_at IS 'Not sent before this time: the backoff after a failed attempt (1 s doubling, at most 10 min).';
COMMENT ON COLUMN orchestrator.promotion_outbox.leased_by IS 'The node (Quartz instance id) that claimed it last.';
COMMENT ON COLUMN orchestrator.promotion_outbox.lease_until IS 'While in the future, the claiming node is sending it and no other node takes it; NULL once the attempt is recorded.';
COMMENT ON COLUMN orchestrator.promotion_outbox.last_attempt_at IS 'When the last attempt was recorded (delivered or failed).';
COMMENT ON COLUMN orchestrator.promotion_outbox.last_error IS 'Why the last attempt failed: the receiver''s HTTP status, a timeout, the command''s exit status with the tail of its stderr.';
COMMENT ON COLUMN orchestrator.promotion_outbox.delivered_at IS 'When the destination accepted it (a 2xx answer, or the command''s exit status 0).';
COMMENT ON COLUMN orchestrator.promotion_outbox.given_up_at IS 'When delivery stopped without success: retried for 24 h from armed_at, or its destination was removed from the settings.';

-- The delivery job's claim: pending rows by due time.
CREATE INDEX promotion_outbox_pending ON orchestrator.promotion_outbox (next_attempt_at, id)
    WHERE delivered_at IS NULL AND given_up_at IS NULL;

-- The payload is built from the rows, with jsonb functions only. Timestamps in UTC whatever the
-- session's time zone. ON CONFLICT: one notification per event and destination.
CREATE FUNCTION orchestrator.enqueue_promotion_notifications() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    kind     text;
    delivery uuid;
    body     jsonb;
BEGIN
    IF NEW.actor = 'migration' THEN
        RETURN NULL;
    ELSIF NEW.to_status = 'approved' THEN
        kind := 'approved';
    ELSIF NEW.from_status = 'retired' AND NEW.to_status = 'active' AND NEW.actor <> 'serving' THEN
        kind := 'rolled_back';
    ELSE
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT FROM orchestrator.promotion_destination) THEN
        RETURN NULL;
    END IF;
    delivery := gen_random_uuid();
    SELECT jsonb_build_object(
               'delivery_id', delivery,
               'event', kind,
               'model', m.name,
               'version', v.version,
               'model_version_id', v.id,
               'artifact_uri', v.artifact_uri,
               'hyperparameters', hs.params,
               'hyperparameter_set_id', v.hyperparameter_set_id,
               'experiment_id', coalesce(v.experiment_id,
                                         CASE WHEN jsonb_typeof(NEW.evidence -> 'experiment_id') = 'number'
                                              THEN (NEW.evidence ->> 'experiment_id')::bigint END),
               'gate', NEW.evidence -> 'gate',
               'actor', NEW.actor,
               'reason', NEW.reason,
               'at', to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'event_id', NEW.id,
               'replaces', NEW.evidence ->> 'retired')
      INTO body
      FROM orchestrator.model_version v
      JOIN orchestrator.model m ON m.id = v.model_id
      LEFT JOIN orchestrator.hyperparameter_set hs ON hs.id = v.hyperparameter_set_id
     WHERE v.id = NEW.model_version_id;
    INSERT INTO orchestrator.promotion_outbox (model_version_event_id, delivery_id, event, destination, payload)
    SELECT NEW.id, delivery, kind, d.destination, body
      FROM orchestrator.promotion_destination d
    ON CONFLICT ON CONSTRAINT promotion_outbox_once DO NOTHING;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION orchestrator.enqueue_promotion_notifications() IS 'Trigger function: for a version event to approved, or retired -> active by anyone but the serving stack (a rollback), enqueues one promotion hand-off notification per registered destination, its JSON payload built from the version, its model, its hyperparameter set and the event, in the same transaction.';

CREATE TRIGGER model_version_event_promotion_notifications
    AFTER INSERT ON orchestrator.model_version_event
    FOR EACH ROW
    WHEN (NEW.to_status = 'approved' OR (NEW.from_status = 'retired' AND NEW.to_status = 'active'))
    EXECUTE FUNCTION orchestrator.enqueue_promotion_notifications();

-- For analysts: whether and when the serving stack was told (the reader role reads the lineage
-- schema; the outbox itself, with its payloads and errors, stays closed).
CREATE VIEW lineage.promotion_notifications AS
SELECT o.id AS notification_id,
       o.delivery_id,
       o.event,
       o.destination,
       m.name AS model,
       v.version,
       o.model_version_event_id,
       e.actor,
       o.created_at,
       o.attempts,
       o.delivered_at,
       o.given_up_at,
       CASE WHEN o.delivered_at IS NOT NULL THEN 'delivered'
            WHEN o.given_up_at IS NOT NULL THEN 'given_up'
            ELSE 'pending' END AS state
  FROM orchestrator.promotion_outbox o
  JOIN orchestrator.model_version_event e ON e.id = o.model_version_event_id
  JOIN orchestrator.model_version v ON v.id = e.model_version_id
  JOIN orchestrator.model m ON m.id = v.model_id;
COMMENT ON VIEW lineage.promotion_notifications IS 'Each promotion hand-off notification (an approval or a rollback told to the serving stack) per destination, and whether it was delivered: one row per orchestrator.promotion_outbox row.';
COMMENT ON COLUMN lineage.promotion_notifications.notification_id IS 'orchestrator.promotion_outbox.id.';
COMMENT ON COLUMN lineage.promotion_notifications.delivery_id IS 'The id receivers de-duplicate by (header X-Orchestrator-Delivery).';
COMMENT ON COLUMN lineage.promotion_notifications.event IS 'approved or rolled_back.';
COMMENT ON COLUMN lineage.promotion_notifications.destination IS 'webhook or command.';
COMMENT ON COLUMN lineage.promotion_notifications.model IS 'The model''s name.';
COMMENT ON COLUMN lineage.promotion_notifications.version IS 'The version announced.';
COMMENT ON COLUMN lineage.promotion_notifications.model_version_event_id IS 'The version event announced (orchestrator.model_version_event.id).';
COMMENT ON COLUMN lineage.promotion_notifications.actor IS 'Who made the change: gate, operator:<name>, ...';
COMMENT ON COLUMN lineage.promotion_notifications.created_at IS 'When the change committed and the notification was enqueued.';
COMMENT ON COLUMN lineage.promotion_notifications.attempts IS 'How many delivery attempts were made.';
COMMENT ON COLUMN lineage.promotion_notifications.delivered_at IS 'When the destination accepted it; NULL while pending or given up.';
COMMENT ON COLUMN lineage.promotion_notifications.given_up_at IS 'When delivery was given up; NULL otherwise.';
COMMENT ON COLUMN lineage.promotion_notifications.state IS 'delivered, given_up or pending.';
