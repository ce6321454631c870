package org.visutility.orchestrator.app.demo;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.store.SqlFiles;
import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.policy.PolicyApplier;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.tuning.builtin.Algorithm;
import org.visutility.orchestrator.tuning.builtin.BuiltinTraining;
import org.visutility.orchestrator.tuning.builtin.ClassificationScores;
import org.visutility.orchestrator.tuning.builtin.Datasets;
import org.visutility.orchestrator.tuning.builtin.Table;
import org.visutility.orchestrator.tuning.builtin.TrainedClassifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** One run of the demo, step by step, printing what happens. */
final class DemoRun {
    private static final String LATEST_POLICY_EXPERIMENT = SqlFiles.load(DemoRun.class, "LatestPolicyExperiment");
    private static final String STATUS_AND_ERROR = SqlFiles.load(DemoRun.class, "ExperimentStatusAndError");
    private static final String FINISHED_TRIALS = SqlFiles.load(DemoRun.class, "FinishedTrials");
    static final String DATASET = "breast_cancer";
    static final String POSITIVE = "malignant";
    static final long SEED = 2026;
    static final int WINDOWS = 12;
    static final int ROWS_PER_WINDOW = 150;
    static final Duration WINDOW_SPACING = Duration.ofMinutes(5);
    /** Labelled production rows sent back after the drift, used to retrain. */
    static final int FEEDBACK_ROWS = 400;
    /** The last windows, on which v1 and v2 are compared (v2 never trained on their rows). */
    static final int COMPARED_WINDOWS = 4;
    static final Duration EXPERIMENT_DEADLINE = Duration.ofMinutes(5);
    private static final Map<String, Object> V1_HYPERPARAMETERS = Map.of(
            "learning_rate", 0.1, "epochs", 10, "optimizer", "adagrad", "l2", 1.0e-4);

    private final Node node;
    private final OrchestratorConfig config;
    private final PrintStream out;
    private final Jdbi jdbi;

    DemoRun(Node node, OrchestratorConfig config, PrintStream out) {
        this.node = node;
        this.config = config;
        this.out = out;
        this.jdbi = node.database().jdbi();
    }

    /** Runs the loop; true when v2 beats v1 on the drifted windows. */
    boolean run() throws Exception {
        int run = jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM orchestrator.model WHERE name = 'demo-breast-cancer' OR name LIKE 'demo-breast-cancer-run%'")
                .mapTo(Integer.class).one()) + 1;
        String model = run == 1 ? "demo-breast-cancer" : "demo-breast-cancer-run" + run;
        String policy = model + "-accuracy-floor";
        Path folder = config.home().resolve("demo").resolve(model);
        Files.createDirectories(folder);

        // 1. data: a seeded split of the shipped data into training rows and held-back production pools
        Table all = Datasets.shipped(DATASET);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(SEED));
        int third = all.size() / 3;
        Table reference = all.subset(order.subList(0, third), DATASET + " (training before the drift)");
        Table feedbackPool = all.subset(order.subList(third, 2 * third), DATASET + " (production, sent back with labels)");
        Table streamPool = all.subset(order.subList(2 * third, all.size()), DATASET + " (production stream)");
        out.printf("%n[1/6] Model %s v1: logistic regression (Tribuo) on %d rows of the Breast Cancer Wisconsin data%n",
                model, reference.size());
        TrainedClassifier v1 = train(V1_HYPERPARAMETERS, reference);
        DriftSimulator drift = new DriftSimulator(streamPool);
        out.printf("      accuracy before any drift: %.3f%n", v1.score(drift.window(0, ROWS_PER_WINDOW, SEED + 99)).accuracy());

        // 2. production: windows whose size features drift, scored by v1, sent through the HTTP ingest
        out.printf("%n[2/6] Production drifts: the size features (%s) read %.0f%% larger each window (seeded, %d rows per window)%n",
                String.join(", ", drift.driftingFeatures().subList(0, 3)) + ", ...", DriftSimulator.DRIFT_PER_WINDOW * 100,
                ROWS_PER_WINDOW);
        SnapshotPoster poster = new SnapshotPoster(node.httpPort(), config.ingestTokens().stream().findFirst());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Table> windows = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            Table window = drift.window(w, ROWS_PER_WINDOW, SEED);
            Instant at = now.minus(WINDOW_SPACING.multipliedBy(WINDOWS - 1 - w));
            ClassificationScores s = v1.score(window);
            poster.post(model, "v1", at, window.size(), "demo", metrics(s));
            windows.add(window);
            times.add(at);
            out.printf("      window %2d  %s  sizes x%.2f  v1 accuracy %.3f  precision %.3f  recall %.3f  -> POST /api/v1/snapshots%n",
                    w, at, DriftSimulator.factor(w), s.accuracy(), s.precision(), s.recall());
        }

        // 3. the policy, and the labelled feedback the retrain will learn from
        Table feedback = new DriftSimulator(feedbackPool).window(WINDOWS - 1, FEEDBACK_ROWS, SEED + 7);
        Path dataset = folder.resolve("drifted-train.csv");
        TableCsv.write(feedback, dataset);
        Files.writeString(folder.resolve("tuning.yaml"), template("tuning.yaml")
                .replace("${model}", model).replace("${dataset}", dataset.toAbsolutePath().toString()));
        Path policyFile = folder.resolve("policy.yaml");
        Files.writeString(policyFile, template("policy.yaml").replace("${model}", model).replace("${policy}", policy));
        try (ConditionPool sqlConditions = ConditionPool.of(node.database(), config)) {
            new PolicyApplier(jdbi, sqlConditions).apply(PolicyFileParser.parse(policyFile), policyFile.toAbsolutePath().toString());
        }
        out.printf("%n[3/6] Policy %s applied (%s): mean accuracy over 20m below 0.90 -> retrain with TPE%n", policy, policyFile);
        out.printf("      on %d labelled production rows sent back since the drift (%s)%n", feedback.size(), dataset);

        // 4. wait for the clustered policy job to fire and the experiment to run
        long experiment = awaitExperiment(model);
        out.printf("%n[4/6] The policy fired; experiment %d is tuning (TPE, 20 trials, 2 at a time, median pruning, held-out log loss):%n", experiment);
        String status = followTrials(experiment);
        if (!"succeeded".equals(status)) {
            out.printf("      experiment %d ended %s: %s%n", experiment, status, experimentError(experiment));
            return false;
        }

        // 5. v2 against v1 on the drifted windows v2 never saw
        JsonNode best = jdbi.withHandle(h -> h.createQuery(
                "SELECT params FROM orchestrator.hyperparameter_set WHERE experiment_id = :id").bind("id", experiment)
                .mapTo(String.class).one()).transform(DemoRun::json);
        Map<String, Object> registered = jdbi.withHandle(h -> h.createQuery("""
                SELECT v.version, v.status, g.reason FROM orchestrator.model_version v
                  LEFT JOIN orchestrator.gate_result g ON g.experiment_id = v.experiment_id
                 WHERE v.experiment_id = :id ORDER BY v.id DESC LIMIT 1""").bind("id", experiment).mapToMap().one());
        String v2Label = (String) registered.get("version");
        TrainedClassifier v2 = train(Json.MAPPER.convertValue(best, Map.class), feedback);
        out.printf("%n[5/6] %s v2 (registered as %s, %s by the gate: %s) with the best set %s%n", model, v2Label,
                registered.get("status"), registered.get("reason"), best);
        out.println("      scored on the last windows' rows (neither version trained on them):");
        double v1Sum = 0;
        double v2Sum = 0;
        int compared = 0;
        for (int w = WINDOWS - COMPARED_WINDOWS; w < WINDOWS; w++) {
            ClassificationScores a = v1.score(windows.get(w));
            ClassificationScores b = v2.score(windows.get(w));
            poster.post(model, v2Label, times.get(w), windows.get(w).size(), "demo-shadow", metrics(b));
            out.printf("      window %2d  v1 accuracy %.3f   v2 accuracy %.3f%n", w, a.accuracy(), b.accuracy());
            v1Sum += a.accuracy();
            v2Sum += b.accuracy();
            compared++;
        }
        double v1Mean = v1Sum / compared;
        double v2Mean = v2Sum / compared;
        boolean better = v2Mean > v1Mean;
        out.printf("      mean over the drifted windows: v1 %.3f, v2 %.3f -> %s%n", v1Mean, v2Mean,
                better ? "v2 beats v1 by " + String.format("%.3f", v2Mean - v1Mean) : "v2 does NOT beat v1");

        // 6. the lineage, as an analyst would ask for it
        printLineage(model, experiment);
        out.printf("%nDashboard: http://localhost:%d/ (models, this experiment's optimisation history, failed runs);%n",
                node.httpPort());
        out.println("it serves while the node runs: `ops/orchestrator serve` (or `demo --keep-serving`) shows all of this again.");
        out.println("Running the demo again adds a new model beside this one.");
        return better;
    }

    private TrainedClassifier train(Map<String, ?> hyperparameters, Table rows) {
        return BuiltinTraining.train(Algorithm.LOGISTIC_REGRESSION, hyperparameters, rows, null, 1,
                Optional.of(POSITIVE), BuiltinTraining.DEFAULT_TREE_BATCH, BuiltinTraining.Progress.NONE);
    }

    private static Map<String, Double> metrics(ClassificationScores s) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", s.accuracy());
        m.put("precision", s.precision());
        m.put("recall", s.recall());
        m.put("f1", s.f1());
        return m;
    }

    private long awaitExperiment(String model) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Instant.now().isBefore(deadline)) {
            Optional<Long> id = jdbi.withHandle(h -> h.createQuery(LATEST_POLICY_EXPERIMENT)
                    .bind("model", model).mapTo(Long.class).findOne());
            if (id.isPresent()) return id.get();
            Thread.sleep(200);
        }
        throw new IllegalStateException("the policy did not fire within a minute; see `orchestrator policies list`");
    }

    /** Prints each trial as it finishes; returns the experiment's final status. */
    private String followTrials(long experiment) throws InterruptedException {
        Set<Integer> shown = new HashSet<>();
        Instant deadline = Instant.now().plus(EXPERIMENT_DEADLINE);
        double best = Double.NaN;
        while (Instant.now().isBefore(deadline)) {
            String status = jdbi.withHandle(h -> h.createQuery(STATUS_AND_ERROR)
                    .bind("id", experiment).map((rs, ctx) -> rs.getString("status")).one());
            List<Map<String, Object>> finished = jdbi.withHandle(h -> h.createQuery(FINISHED_TRIALS)
                    .bind("id", experiment).mapToMap().list());
            for (Map<String, Object> t : finished) {
                int number = ((Number) t.get("number")).intValue();
                if (!shown.add(number)) continue;
                Object score = t.get("score");
                // the demo's objective is held-out log loss: lower is better
                if (score != null && (Double.isNaN(best) || ((Number) score).doubleValue() < best)) best = ((Number) score).doubleValue();
                out.printf("      trial %2d  %-8s  log loss %s  best %s  %s%n", number, t.get("status"),
                        score == null ? "   -  " : String.format("%.4f", ((Number) score).doubleValue()),
                        Double.isNaN(best) ? "  -   " : String.format("%.4f", best), t.get("params"));
            }
            if (ExperimentStatus.of(status).isFinal()) return status;
            Thread.sleep(250);
        }
        return "still running after " + EXPERIMENT_DEADLINE.toMinutes() + " minutes";
    }

    private String experimentError(long experiment) {
        return jdbi.withHandle(h -> h.createQuery(STATUS_AND_ERROR)
                .bind("id", experiment).map((rs, ctx) -> rs.getString("error")).one());
    }

    private void printLineage(String model, long experiment) throws IOException {
        String sql = resource("ExperimentLineage.sql");
        out.printf("%n[6/6] Why was %s retrained, and with what? (lineage.experiment_lineage)%n%n", model);
        out.println(sql.replace(":experiment", Long.toString(experiment)).strip() + ";");
        out.println();
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery(sql).bind("experiment", experiment).mapToMap().one());
        int width = row.keySet().stream().mapToInt(String::length).max().orElse(10);
        row.forEach((k, v) -> out.printf("  %-" + width + "s | %s%n", k, v));
    }

    private static String template(String name) throws IOException {
        return resource(name);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DemoRun.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
