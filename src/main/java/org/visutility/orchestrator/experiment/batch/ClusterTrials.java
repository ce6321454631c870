package org.visutility.orchestrator.experiment.batch;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.schedule.QuartzSchedulerFactory;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.Params;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The attempts run on the cluster's trial workers ({@link TrialWorker}, one on every node, this one
 * included): each is sent as a request through {@link TrialChannels} and its result comes back as a
 * reply. A reply counts only for the attempt in flight (a late one from an attempt run again since is
 * dropped), so no trial is recorded twice. An attempt whose worker's node stops checking in to the
 * Quartz cluster, or that its worker gives back, is reported {@link #lost()} and runs again.
 *
 * <p>The replies of an experiment share one group, whichever run of it is reading: after a takeover the
 * new owner reads the replies to the old owner's attempts too (and drops them: it ran those trials
 * again), and an old owner that is still alive, not knowing yet that it lost the experiment, could read
 * the new owner's. Each reply names the run that sent its request (the experiment's version then): one
 * of an earlier run is dropped; one of a later run is put back for that run, in the transaction that
 * took it, and this run stops reading replies (it no longer owns the experiment and will stop).
 */
final class ClusterTrials implements TrialExecution {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTrials.class);
    private static final String GONE = SqlFiles.load(ClusterTrials.class, "TrialsOnGoneWorkers");
    /** How often the owner looks for attempts whose worker's node is gone. */
    private static final long LOST_CHECK_MS = 1_000;

    private record Sent(int attempt, Params params) {
    }

    private final long experimentId;
    private final String owner;
    /** The experiment's version while this run owns it: the run its requests name. */
    private final int run;
    private final TrialChannels channels;
    private final Jdbi jdbi;
    private final Map<Integer, Sent> inFlight = new ConcurrentHashMap<>();
    private final BlockingQueue<TrialLauncher.Done> ended = new LinkedBlockingQueue<>();
    private final BlockingQueue<Lost> givenBack = new LinkedBlockingQueue<>();
    /** Set once a reply of a later run was heard: this run stops reading replies. */
    private final AtomicBoolean overtaken = new AtomicBoolean();
    /** The subscription to the experiment's replies, made as the first attempt starts. */
    private AutoCloseable replies;
    private boolean repliesClosed;
    /** Closed by its step: no subscription any more. */
    private boolean closed;
    private long lastLostCheck;

    ClusterTrials(long experimentId, String owner, int run, TrialChannels channels) {
        this.experimentId = experimentId;
        this.owner = owner;
        this.run = run;
        this.channels = channels;
        // outside the step's transaction: the looks for gone workers must not hold its connection
        this.jdbi = Jdbi.create(channels.pool());
    }

    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public void start(int number, int attempt, Params params, AtomicBoolean stop) {
        // stop is not needed: a stopped attempt is one whose row the owner closed or raised, which its worker sees
        inFlight.put(number, new Sent(attempt, params));
        readReplies();
        channels.send(new TrialMessages.Request(experimentId, number, attempt, params, owner, run));
    }

    /**
     * Subscribes to the experiment's replies as the first attempt starts (none of this run's can come
     * before): the replies stored before, to earlier runs, are then dispatched and dropped.
     */
    private void readReplies() {
        synchronized (this) {
            if (replies != null || closed) return;
        }
        AutoCloseable subscription = channels.onReplies(experimentId, this::heard);
        synchronized (this) {
            replies = subscription;
        }
        if (overtaken.get()) stopReading();
    }

    private void heard(TrialMessages.Reply r) {
        if (r.run() > run) {
            // taken and put back in one transaction: the run that sent its request reads it
            channels.reply(r);
            if (overtaken.compareAndSet(false, true)) {
                LOG.warn("Trial {} attempt {}: a reply for a later run of experiment {} (run {}, this one is {}); it is left to that run,"
                        + " and this run reads no more replies", r.number(), r.attempt(), experimentId, r.run(), run);
                // not from this dispatch: the channel's subscription cannot change while it dispatches
                Thread closer = new Thread(this::stopReading, "trial-replies-close-" + experimentId);
                closer.setDaemon(true);
                closer.start();
            }
            return;
        }
        Sent sent = inFlight.get(r.number());
        boolean ours = r.run() == run || r.run() == 0; // 0: the reply of a node that predates the run's number
        if (!ours || sent == null || sent.attempt() != r.attempt()) {
            LOG.info("Trial {} attempt {} (run {}): a late reply from {} is dropped (not the attempt in flight)", r.number(), r.attempt(),
                    r.run(), r.node());
            return;
        }
        if (r.returned()) {
            givenBack.add(new Lost(r.number(), r.attempt(), r.node(), "its worker " + r.node() + " gave it back (stopping)"));
            return;
        }
        inFlight.remove(r.number());
        ended.add(new TrialLauncher.Done(r.number(), r.attempt(), sent.params(), r.result(), r.reports(), r.took()));
    }

    @Override
    public TrialLauncher.Done poll(long millis) throws InterruptedException {
        return ended.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<Lost> lost() {
        List<Lost> lost = new ArrayList<>();
        givenBack.drainTo(lost);
        long now = System.currentTimeMillis();
        if (now - lastLostCheck >= LOST_CHECK_MS && !inFlight.isEmpty()) {
            lastLostCheck = now;
            lost.addAll(jdbi.withHandle(h -> h.createQuery(GONE).bind("experiment", experimentId).bind("owner", owner)
                    .bind("scheduler", QuartzSchedulerFactory.SCHEDULER_NAME).bind("nowMs", now)
                    .map((rs, ctx) -> new Lost(rs.getInt("number"), rs.getInt("attempt"), rs.getString("worker"),
                            "its worker " + rs.getString("worker") + " is gone (Quartz check-in stale)"))
                    .list()));
        }
        lost.removeIf(l -> {
            Sent sent = inFlight.get(l.number());
            return sent == null || sent.attempt() != l.attempt();
        });
        // once per attempt, whether its worker gave it back and is gone too
        Map<Integer, Lost> once = new java.util.LinkedHashMap<>();
        lost.forEach(l -> once.putIfAbsent(l.number(), l));
        once.keySet().forEach(inFlight::remove);
        return List.copyOf(once.values());
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        stopReading();
    }

    /** Whether this run heard a reply of a later run of its experiment (it no longer owns it). */
    boolean overtaken() {
        return overtaken.get();
    }

    /** Whether this run reads the experiment's replies now. */
    synchronized boolean reading() {
        return replies != null && !repliesClosed;
    }

    /** Unsubscribes from the experiment's replies, once (a no-op before the subscription is made, which then calls it again). */
    private synchronized void stopReading() {
        if (replies == null || repliesClosed) return;
        repliesClosed = true;
        try {
            replies.close();
        } catch (Exception e) {
            LOG.debug("Closing the replies of experiment {}: {}", experimentId, e.toString());
        }
    }
}
