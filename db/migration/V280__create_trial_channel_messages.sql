-- Spring Integration's JDBC channel message store (the INT_CHANNEL_MESSAGE table and its sequence from
-- spring-integration-jdbc 7.0's schema-postgresql.sql), in schema batch beside Spring Batch's tables: one
-- experiment's trials reach the nodes of the cluster through it. The owner of a run puts each trial to
-- run into the group of trial requests; every serve node takes requests from it as it has room and
-- puts each result into the group of that experiment's replies. A node takes a message in the
-- transaction that names it as the trial's worker (FOR UPDATE SKIP LOCKED, Spring Integration's
-- PostgreSQL query provider), so a message is taken once. The trigger tells the listening nodes
-- (LISTEN/NOTIFY, PostgresChannelMessageTableSubscriber) that a group has a new message.
-- Only the channel message table is created: the other tables of that schema (message groups, locks,
-- metadata) belong to parts of Spring Integration the orchestrator does not use.

CREATE SEQUENCE batch.int_message_seq START WITH 1 INCREMENT BY 1 NO CYCLE;
COMMENT ON SEQUENCE batch.int_message_seq IS 'Orders the messages of a channel group (batch.int_channel_message.message_sequence).';

CREATE TABLE batch.int_channel_message (
    message_id       char(36)     NOT NULL,
    group_key        char(36)     NOT NULL,
    created_date     bigint       NOT NULL,
    message_priority bigint,
    message_sequence bigint       NOT NULL DEFAULT nextval('batch.int_message_seq'),
    message_content  bytea,
    region           varchar(100) NOT NULL,
    CONSTRAINT int_channel_message_pk PRIMARY KEY (region, group_key, created_date, message_sequence)
);
COMMENT ON TABLE batch.int_channel_message IS 'Spring Integration''s JDBC channel message store: the trials an experiment''s owner sends to the nodes of the cluster (group of trial requests) and their results coming back (a group per experiment). A message is deleted when a node takes it. Not for analysts: orchestrator.trial and lineage.trial_attempts say where each trial ran.';
COMMENT ON COLUMN batch.int_channel_message.message_id IS 'The message''s id (a UUID).';
COMMENT ON COLUMN batch.int_channel_message.group_key IS 'The channel group the message waits in (a UUID made from the group''s name: trial requests, or one experiment''s replies).';
COMMENT ON COLUMN batch.int_channel_message.created_date IS 'When the message was stored (epoch milliseconds); messages are taken oldest first.';
COMMENT ON COLUMN batch.int_channel_message.message_priority IS 'The message''s priority header; unused (the store is not priority-enabled).';
COMMENT ON COLUMN batch.int_channel_message.message_sequence IS 'Order of storing, from batch.int_message_seq: ties of created_date are taken in this order.';
COMMENT ON COLUMN batch.int_channel_message.message_content IS 'The serialized message: headers and a JSON payload (the trial to run, or its result).';
COMMENT ON COLUMN batch.int_channel_message.region IS 'The store''s region: TRIALS for the orchestrator''s trial channels.';

CREATE INDEX int_channel_msg_delete_idx ON batch.int_channel_message (region, group_key, message_id);

CREATE FUNCTION batch.int_channel_message_notify_fct() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- the channel PostgresChannelMessageTableSubscriber listens on (its table prefix batch_int_ + channel_message_notify)
    PERFORM pg_notify('batch_int_channel_message_notify', NEW.region || ' ' || NEW.group_key);
    RETURN NEW;
END $$;
COMMENT ON FUNCTION batch.int_channel_message_notify_fct() IS 'Trigger function on batch.int_channel_message: notifies the listening nodes (channel batch_int_channel_message_notify, payload region and group) that a group has a new message; delivered when the inserting transaction commits.';

CREATE TRIGGER int_channel_message_notify_trg
    AFTER INSERT ON batch.int_channel_message
    FOR EACH ROW
    EXECUTE FUNCTION batch.int_channel_message_notify_fct();
COMMENT ON TRIGGER int_channel_message_notify_trg ON batch.int_channel_message IS 'Wakes the nodes listening for trial requests and replies (LISTEN/NOTIFY) when a message is stored.';
