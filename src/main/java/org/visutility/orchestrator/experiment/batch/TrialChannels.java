package org.visutility.orchestrator.experiment.batch;

import org.postgresql.jdbc.PgConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.jdbc.channel.PostgresChannelMessageTableSubscriber;
import org.springframework.integration.jdbc.channel.PostgresSubscribableChannel;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.PostgresChannelMessageStoreQueryProvider;
import org.springframework.integration.store.MessageGroupQueue;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.visutility.orchestrator.store.Database;

import javax.sql.DataSource;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node's ends of the trial channels, on Spring Integration's JDBC channel message store in the
 * database the nodes share (batch.int_channel_message, V280):
 * <ul>
 *   <li>the <b>requests</b>: a {@link QueueChannel} over the store's group of trial requests; owners
 *       send, workers receive one message when they have room (so a node never holds more than it runs);</li>
 *   <li>one <b>reply</b> channel per experiment: a {@link PostgresSubscribableChannel} the run's owner
 *       subscribes to, whose messages are dispatched to it as they are stored.</li>
 * </ul>
 * A {@link PostgresChannelMessageTableSubscriber} holds one LISTEN connection and wakes both sides
 * when a message of their group is stored (the V280 trigger's NOTIFY), so neither polls the table.
 *
 * <p>The store works on the node's pool itself, not on Spring Batch's transaction-aware proxy: a request
 * sent from inside a unit of the trials step commits at once (autocommit), while the trial's row was
 * committed by the unit before. A worker takes a request inside a transaction of {@link #transactionManager()},
 * the one in which it names itself the trial's worker.
 */
public final class TrialChannels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrialChannels.class);
    static final String REGION = "TRIALS";
    static final String REQUESTS = "trial-requests";
    /** The channel the V280 trigger notifies is this prefix + channel_message_notify (LISTEN folds it to lower case). */
    private static final String NOTIFY_PREFIX = "batch_int_";

    private final DataSource pool;
    private final JdbcChannelMessageStore store;
    private final QueueChannel requests;
    private final PostgresChannelMessageTableSubscriber subscriber;
    private final DataSourceTransactionManager transactionManager;
    private final ExecutorService dispatchers;

    private TrialChannels(DataSource pool, JdbcChannelMessageStore store, PostgresChannelMessageTableSubscriber subscriber,
                          ExecutorService dispatchers) {
        this.pool = pool;
        this.store = store;
        this.subscriber = subscriber;
        this.dispatchers = dispatchers;
        this.requests = new QueueChannel(new MessageGroupQueue(store, REQUESTS));
        this.requests.setBeanName("trial-requests");
        this.transactionManager = new DataSourceTransactionManager(pool);
        this.transactionManager.afterPropertiesSet();
    }

    /** The channels on the node's database; the LISTEN connection is a connection of its own, outside the pool. */
    public static TrialChannels open(Database db) {
        JdbcChannelMessageStore store = new JdbcChannelMessageStore(db.dataSource());
        store.setTablePrefix("batch.INT_");
        store.setRegion(REGION);
        store.setChannelMessageStoreQueryProvider(new PostgresChannelMessageStoreQueryProvider());
        // messages are deleted as they are taken; the id cache only matters for stores read without locks
        store.setUsingIdCache(false);
        try {
            store.afterPropertiesSet();
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the trial channels' message store: " + e.getMessage(), e);
        }
        PostgresChannelMessageTableSubscriber subscriber = new PostgresChannelMessageTableSubscriber(
                () -> DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password()).unwrap(PgConnection.class), NOTIFY_PREFIX);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService dispatchers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "trial-replies-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        var listenThread = new org.springframework.core.task.SimpleAsyncTaskExecutor("trial-channels-listen-");
        listenThread.setDaemon(true);
        subscriber.setTaskExecutor(listenThread);
        // missed notifications (a reconnect) are made up for by waking every subscription this often
        subscriber.setNotificationTimeout(Duration.ofSeconds(5));
        subscriber.start();
        return new TrialChannels(db.dataSource(), store, subscriber, dispatchers);
    }

    /** Puts a trial to run into the requests (committed at once). */
    void send(TrialMessages.Request request) {
        requests.send(MessageBuilder.withPayload(request.toJson()).build());
    }

    /** Takes the oldest request, or null; call it in a transaction of {@link #transactionManager()} to take it with a write. */
    TrialMessages.Request take() {
        Message<?> m = requests.receive(0);
        return m == null ? null : TrialMessages.Request.fromJson((String) m.getPayload());
    }

    /** Sends a result to the owner of its experiment. */
    void reply(TrialMessages.Reply reply) {
        store.addMessageToGroup(replyGroup(reply.experimentId()), MessageBuilder.withPayload(reply.toJson()).build());
    }

    /** Wakes {@code wake} whenever a request is stored (and every few seconds, for notifications lost to a reconnect). */
    AutoCloseable onRequest(Runnable wake) {
        PostgresChannelMessageTableSubscriber.Subscription s = new PostgresChannelMessageTableSubscriber.Subscription() {
            @Override
            public void notifyUpdate() {
                wake.run();
            }

            @Override
            public String getRegion() {
                return REGION;
            }

            @Override
            public Object getGroupId() {
                return REQUESTS;
            }
        };
        subscriber.subscribe(s);
        return () -> subscriber.unsubscribe(s);
    }

    /**
     * Subscribes {@code handler} to the replies of experiment {@code experimentId} until closed; each
     * reply leaves the store in the transaction the handler runs in. Replies left from an earlier run of
     * the experiment are dispatched first.
     */
    AutoCloseable onReplies(long experimentId, java.util.function.Consumer<TrialMessages.Reply> handler) {
        PostgresSubscribableChannel channel = new PostgresSubscribableChannel(store, replyGroup(experimentId), subscriber);
        channel.setBeanName("trial-replies-" + experimentId);
        channel.setTransactionManager(transactionManager);
        channel.setDispatcherExecutor(dispatchers);
        // no Spring context here: an empty bean factory gives Spring Integration its defaults
        channel.setBeanFactory(new org.springframework.beans.factory.support.DefaultListableBeanFactory());
        channel.setErrorHandler(e -> LOG.error("Experiment {}: a trial reply could not be handled: {}", experimentId, e.toString()));
        channel.afterPropertiesSet();
        MessageHandler h = m -> handler.accept(TrialMessages.Reply.fromJson((String) m.getPayload()));
        channel.subscribe(h);
        channel.notifyUpdate();
        return () -> channel.unsubscribe(h);
    }

    DataSourceTransactionManager transactionManager() {
        return transactionManager;
    }

    DataSource pool() {
        return pool;
    }

    static String replyGroup(long experimentId) {
        return "trial-replies-" + experimentId;
    }

    @Override
    public void close() {
        subscriber.stop();
        dispatchers.shutdownNow();
    }
}
