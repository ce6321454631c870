package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentRunner;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.store.SqlFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Queues experiments as {@code experiments submit} does and runs each through the real engine (the
 * Spring Batch job: prepare, one committed trial at a time, finalize registering a version), the
 * built-in sphere function scoring the trials, several runs at once as a node does. One experiment
 * in {@link #TWO_OBJECTIVES_EVERY} has two objectives instead (the built-in ZDT1 function, the best
 * set chosen from the Pareto front by {@code select}), so the Pareto front question has fronts to read.
 */
final class ExperimentHistory {
    private static final String SPEC = "bench-lineage.yaml";
    private static final String TWO_OBJECTIVE_SPEC = "bench-lineage-pareto.yaml";
    /** Experiment k has two objectives when k is a multiple of this. */
    static final int TWO_OBJECTIVES_EVERY = 10;
    private static final String SUCCEEDED = SqlFiles.load(ExperimentHistory.class, "BenchLineageSucceeded");
    private static final String LAST_ID = SqlFiles.load(ExperimentHistory.class, "BenchLastExperimentId");
    private static final String QUEUED = SqlFiles.load(ExperimentHistory.class, "BenchQueuedExperiments");

    private final Jdbi jdbi;
    private final ExperimentRunner runner;
    private final int models;
    private final int trialsPerExperiment;

    ExperimentHistory(ScratchDatabase scratch, OrchestratorConfig config, int models, int trialsPerExperiment) {
        this.jdbi = scratch.jdbi();
        BatchInfrastructure batch = BatchInfrastructure.create(scratch.dataSource());
        this.runner = new ExperimentRunner(jdbi, batch, config, "bench-lineage-" + ProcessHandle.current().pid(), ExperimentObserver.NONE);
        this.models = models;
        this.trialsPerExperiment = trialsPerExperiment;
    }

    /** The highest experiment id so far (0 before the first). */
    long lastId() {
        return jdbi.withHandle(h -> h.createQuery(LAST_ID).mapTo(Long.class).one());
    }

    /** How many experiments with ids from {@code firstId} to {@code lastId} succeeded. */
    int succeeded(long firstId, long lastId) {
        return jdbi.withHandle(h -> h.createQuery(SUCCEEDED).bind("first_id", firstId).bind("last_id", lastId).mapTo(Integer.class).one());
    }

    /** Runs the experiments waiting in the queue (those the policies enqueued), as a node's dispatcher would; returns their ids. */
    List<Long> runQueued(int workers) throws Exception {
        List<Long> queued = jdbi.withHandle(h -> h.createQuery(QUEUED).mapTo(Long.class).list());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    for (int k = next.getAndIncrement(); k < queued.size(); k = next.getAndIncrement()) runner.run(queued.get(k), false);
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } finally {
            pool.shutdown();
        }
        return queued;
    }

    /**
     * Runs experiments number [from, to) (experiment k tunes model k mod models; two objectives when k
     * is a multiple of {@link #TWO_OBJECTIVES_EVERY}), each submitted and then run.
     */
    void run(int from, int to, int workers) throws Exception {
        JsonNode single = readSpec();
        JsonNode twoObjectives = read(TWO_OBJECTIVE_SPEC);
        AtomicInteger next = new AtomicInteger(from);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    for (int k = next.getAndIncrement(); k < to; k = next.getAndIncrement()) {
                        ObjectNode tree = (k % TWO_OBJECTIVES_EVERY == 0 ? twoObjectives : single).deepCopy();
                        tree.put("model", SnapshotHistory.modelName(k % models));
                        ((ObjectNode) tree.get("strategy")).put("seed", k);
                        ((ObjectNode) tree.get("budget")).put("trials", trialsPerExperiment);
                        ExperimentSpec spec = ExperimentSpec.parse(tree, k % TWO_OBJECTIVES_EVERY == 0 ? TWO_OBJECTIVE_SPEC : SPEC);
                        long id = jdbi.inTransaction(h -> ExperimentRows.insert(h, spec, "submit"));
                        runner.run(id, false);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
        } finally {
            pool.shutdown();
        }
    }

    /** The spec every bench experiment starts from. */
    static JsonNode readSpec() {
        return read(SPEC);
    }

    private static JsonNode read(String resource) {
        try (InputStream in = ExperimentHistory.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return Json.YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
