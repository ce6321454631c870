package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.SqlFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code orchestrator bench cluster}: one experiment's trials across K nodes. Serve nodes are started
 * as child JVMs of this process (its own classpath) against one scratch database, one more for each
 * larger K, and each K runs experiments of N trials whose command trainer sleeps (no CPU: the machine's
 * cores are not what is measured) with budget.parallel = K x trials_per_node and the default placement.
 * The wall time of an experiment is the database's, from its start to its end (the run's claim to the
 * gate's commit); on each new set of nodes a short experiment warms the JVMs first and is not measured.
 */
public final class ClusterBenchmark {
    /** Goal: 4 nodes at least this many times faster than 1. */
    public static final double GOAL_SPEED_UP_4 = 3.5;
    private static final String WALL = SqlFiles.load(ClusterBenchmark.class, "ExperimentWallTime");
    /** Child JVMs start slowly on a busy machine. */
    private static final Duration NODE_START = Duration.ofSeconds(600);

    /** The figures of one node count: its experiments' wall times (seconds) and speed-up over one node. */
    record Run(int nodes, int parallel, Repetitions wallSeconds, double speedUp) {
    }

    public record Result(int trials, double trialSeconds, int perNode, List<Run> runs, MachineFacts machine) {
        Run of(int nodes) {
            return runs.stream().filter(r -> r.nodes() == nodes).findFirst().orElse(null);
        }

        public boolean goalMet() {
            Run four = of(4);
            return four != null && four.speedUp() >= GOAL_SPEED_UP_4;
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("bench", "cluster").put("trials", trials)
                    .put("trial_seconds", trialSeconds).put("trials_per_node", perNode);
            n.set("machine", machine.toJson());
            ArrayNode list = n.putArray("runs");
            for (Run r : runs) {
                ObjectNode x = list.addObject().put("nodes", r.nodes()).put("parallel", r.parallel());
                x.set("wall_seconds", r.wallSeconds().toJson());
                x.put("speed_up", Repetitions.round(r.speedUp()));
            }
            n.putObject("goals").put("speed_up_4_nodes_at_least", GOAL_SPEED_UP_4).put("met", goalMet());
            return n;
        }

        public String text() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "bench cluster: one experiment of %d trials (command trainer sleeping %s s), %d trials per node,"
                            + " budget.parallel = nodes x %d; serve nodes in child JVMs on one scratch database%n",
                    trials, trialSeconds, perNode, perNode));
            s.append("  ").append(machine.text());
            for (Run r : runs) {
                s.append(String.format(Locale.ROOT, "  %d node%s (parallel %2d): %s, speed-up %.2fx%n", r.nodes(),
                        r.nodes() == 1 ? " " : "s", r.parallel(), r.wallSeconds().text(), r.speedUp()));
            }
            if (of(4) != null) {
                s.append(String.format(Locale.ROOT, "  goal: 4 nodes >= %.1fx faster than 1: %s%n", GOAL_SPEED_UP_4, goalMet() ? "met" : "NOT met"));
            }
            return s.toString();
        }
    }

    private ClusterBenchmark() {
    }

    /**
     * @param nodeCounts increasing numbers of nodes, e.g. 1, 2, 4
     */
    public static Result run(Database server, int trials, double trialSeconds, int perNode, List<Integer> nodeCounts, int repetitions,
                             boolean keep) {
        Path work;
        try {
            work = Files.createTempDirectory("bench-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Run> runs = new ArrayList<>();
        List<Process> nodes = new ArrayList<>();
        try (ScratchDatabase scratch = ScratchDatabase.create(server, ScratchDatabase.nameBeside(server.jdbcUrl(), "_bench_cluster"), 4, keep)) {
            double oneNode = Double.NaN;
            for (int k : nodeCounts) {
                while (nodes.size() < k) nodes.add(startNode(scratch, server, work, nodes.size() + 1, perNode));
                awaitLive(scratch, k);
                int parallel = Math.min(k * perNode, trials);
                experiment(scratch, work, Math.min(trials, parallel * 2), trialSeconds, parallel); // warm-up, not measured
                double[] walls = Repetitions.repeat(repetitions, i -> experiment(scratch, work, trials, trialSeconds, parallel));
                Repetitions wall = Repetitions.of("s", walls);
                if (k == 1) oneNode = wall.median();
                runs.add(new Run(k, parallel, wall, Double.isNaN(oneNode) ? Double.NaN : oneNode / wall.median()));
            }
        } finally {
            for (Process p : nodes) p.destroy();
            for (Process p : nodes) {
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        }
        return new Result(trials, trialSeconds, perNode, runs, MachineFacts.local());
    }

    /** A serve node in a child JVM on the scratch database, its output in the work folder. */
    private static Process startNode(ScratchDatabase scratch, Database server, Path work, int n, int perNode) {
        Path home = work.resolve("node-" + n);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), "org.visutility.orchestrator.app.Main", "serve");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("node-" + n + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ORCHESTRATOR_"));
        env.putAll(Map.of(
                "ORCHESTRATOR_DB_URL", scratch.url(),
                "ORCHESTRATOR_DB_USER", server.username() == null ? "" : server.username(),
                "ORCHESTRATOR_HOME", home.toString(),
                "ORCHESTRATOR_HTTP_PORT", "0",
                "ORCHESTRATOR_HTTP_HOST", "127.0.0.1",
                "ORCHESTRATOR_TRIALS_PER_NODE", Integer.toString(perNode),
                "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "1s",
                "ORCHESTRATOR_DISPATCH_INTERVAL", "300ms",
                "ORCHESTRATOR_DB_POOL_SIZE", "6"));
        if (server.password() != null) env.put("ORCHESTRATOR_DB_PASSWORD", server.password());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + n + ": " + e.getMessage(), e);
        }
    }

    /** Waits until {@code k} nodes check in to the scratch database's Quartz cluster. */
    private static void awaitLive(ScratchDatabase scratch, int k) {
        Instant until = Instant.now().plus(NODE_START);
        while (Instant.now().isBefore(until)) {
            long live = scratch.jdbi().withHandle(h -> h.createQuery("""
                    SELECT count(*) FROM quartz.qrtz_scheduler_state
                     WHERE last_checkin_time + 2 * checkin_interval > :nowMs""").bind("nowMs", System.currentTimeMillis())
                    .mapTo(Long.class).one());
            if (live >= k) return;
            sleep(200);
        }
        throw new IllegalStateException(k + " nodes did not check in within " + NODE_START.toSeconds() + " s");
    }

    /** Queues one experiment, waits for its end and returns its wall time in seconds. */
    private static double experiment(ScratchDatabase scratch, Path work, int trials, double trialSeconds, int parallel) {
        String seconds = String.format(Locale.ROOT, "%.3f", trialSeconds);
        String spec = """
                {"model": "bench-cluster", "objective": {"metric": "loss", "direction": "minimize"},
                 "strategy": {"name": "random", "seed": 1}, "budget": {"trials": %d, "parallel": %d},
                 "space": {"x": {"type": "float", "low": 0.0, "high": 1.0}},
                 "trainer": {"type": "command", "workdir": "%s",
                             "command": ["sh", "-c", "sleep %s; echo \\"{\\\\\\"loss\\\\\\": 0.$ORCH_TRIAL_NUMBER}\\""]}}
                """.formatted(trials, parallel, work.toString().replace("\\", "\\\\"), seconds);
        ExperimentSpec parsed;
        try {
            parsed = ExperimentSpec.parse(Json.MAPPER.readTree(spec), "bench cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long id = scratch.jdbi().inTransaction(h -> ExperimentRows.insert(h, parsed, "bench"));
        Instant until = Instant.now().plus(Duration.ofSeconds((long) (trials * trialSeconds * 3) + 120));
        while (Instant.now().isBefore(until)) {
            Map<String, Object> row = scratch.jdbi().withHandle(h -> h.createQuery(WALL).bind("id", id).mapToMap().one());
            String status = (String) row.get("status");
            if (row.get("wall_seconds") != null) {
                if (!"succeeded".equals(status)) throw new IllegalStateException("experiment " + id + " ended " + status + ": " + row.get("error"));
                return ((Number) row.get("wall_seconds")).doubleValue();
            }
            sleep(100);
        }
        throw new IllegalStateException("experiment " + id + " did not end in time");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
