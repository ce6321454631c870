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
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.OperatorActions;
import org.visutility.orchestrator.tuning.builtin.Algorithm;
import org.visutility.orchestrator.tuning.builtin.BuiltinEvaluator;
import org.visutility.orchestrator.tuning.builtin.BuiltinTraining;
import org.visutility.orchestrator.tuning.builtin.ClassificationScores;
import org.visutility.orchestrator.tuning.builtin.Datasets;
import org.visutility.orchestrator.tuning.builtin.Table;
import org.visutility.orchestrator.tuning.builtin.TrainedClassifier;
import org.visutility.orchestrator.tuning.gate.Evaluation;
import org.visutility.orchestrator.tuning.gate.EvaluationRequest;
import org.visutility.orchestrator.tuning.gate.EvaluationRole;

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
    private static final String GATE_VERDICT = SqlFiles.load(DemoRun.class, "GateVerdict");
    private static final String VERIFICATION_OUTCOME = SqlFiles.load(DemoRun.class, "VerificationOutcome");
    static final String DATASET = "breast_cancer";
    static final String POSITIVE = "malignant";
    static final long SEED = 2026;
    static final int WINDOWS = 12;
    static final int ROWS_PER_WINDOW = 150;
    static final Duration WINDOW_SPACING = Duration.ofMinutes(5);
    /** Labelled production rows sent back after the drift, used to retrain. */
    static final int FEEDBACK_ROWS = 400;
    /** Fresh labelled rows at the latest drift on which the gate scores v2 against v1 (neither trained on them). */
    static final int GATE_ROWS = 300;
    /** How often the serving stack reports a production window of v2 after the hand-off. */
    static final Duration SERVING_SPACING = Duration.ofSeconds(2);
    static final Duration HANDOFF_DEADLINE = Duration.ofSeconds(60);
    static final Duration VERIFICATION_DEADLINE = Duration.ofSeconds(90);
    static final Duration EXPERIMENT_DEADLINE = Duration.ofMinutes(5);
    private static final Map<String, Object> V1_HYPERPARAMETERS = Map.of(
            "learning_rate", 0.1, "epochs", 10, "optimizer", "adagrad", "l2", 1.0e-4);

    private final Node node;
    private final OrchestratorConfig config;
    private final PrintStream out;
    private final Jdbi jdbi;
    private final PromotionReceiver receiver;

    DemoRun(Node node, OrchestratorConfig config, PromotionReceiver receiver, PrintStream out) {
        this.node = node;
        this.config = config;
        this.receiver = receiver;
        this.out = out;
        this.jdbi = node.database().jdbi();
    }

    /** Runs the loop; true when the retrain's outcome is recovered. */
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
        out.printf("%n[1/7] Model %s v1: logistic regression (Tribuo) on %d rows of the Breast Cancer Wisconsin data%n",
                model, reference.size());
        TrainedClassifier v1 = train(V1_HYPERPARAMETERS, reference);
        Path v1Artifact = folder.resolve("v1.tribuo").toAbsolutePath();
        v1.save(v1Artifact);
        DriftSimulator drift = new DriftSimulator(streamPool);
        out.printf("      accuracy before any drift: %.3f; saved as %s%n", v1.score(drift.window(0, ROWS_PER_WINDOW, SEED + 99)).accuracy(),
                v1Artifact);

        // 2. production: windows whose size features drift, scored by v1, sent through the HTTP ingest
        out.printf("%n[2/7] Production drifts: the size features (%s) read %.0f%% larger each window (seeded, %d rows per window)%n",
                String.join(", ", drift.driftingFeatures().subList(0, 3)) + ", ...", DriftSimulator.DRIFT_PER_WINDOW * 100,
                ROWS_PER_WINDOW);
        SnapshotPoster poster = new SnapshotPoster(node.httpPort(), config.ingestTokens().stream().findFirst());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int w = 0; w < WINDOWS; w++) {
            Table window = drift.window(w, ROWS_PER_WINDOW, SEED);
            Instant at = now.minus(WINDOW_SPACING.multipliedBy(WINDOWS - 1 - w));
            ClassificationScores s = v1.score(window);
            poster.post(model, "v1", at, window.size(), "demo", metrics(s));
            out.printf("      window %2d  %s  sizes x%.2f  v1 accuracy %.3f  precision %.3f  recall %.3f  -> POST /api/v1/snapshots%n",
                    w, at, DriftSimulator.factor(w), s.accuracy(), s.precision(), s.recall());
            if (w == 0) recordArtifact(model, v1Artifact);
        }

        // 3. the policy, the labelled feedback the retrain learns from, and fresh labelled rows for the gate
        Table feedback = new DriftSimulator(feedbackPool).window(WINDOWS - 1, FEEDBACK_ROWS, SEED + 7);
        Path dataset = folder.resolve("drifted-train.csv");
        TableCsv.write(feedback, dataset);
        Table gateRows = drift.window(WINDOWS - 1, GATE_ROWS, SEED + 13);
        Path gateData = folder.resolve("gate-eval.csv");
        TableCsv.write(gateRows, gateData);
        Files.writeString(folder.resolve("tuning.yaml"), template("tuning.yaml").replace("${model}", model)
                .replace("${dataset}", dataset.toAbsolutePath().toString()).replace("${gate_data}", gateData.toAbsolutePath().toString()));
        Path policyFile = folder.resolve("policy.yaml");
        Files.writeString(policyFile, template("policy.yaml").replace("${model}", model).replace("${policy}", policy));
        try (ConditionPool sqlConditions = ConditionPool.of(node.database(), config)) {
            new PolicyApplier(jdbi, sqlConditions).apply(PolicyFileParser.parse(policyFile), policyFile.toAbsolutePath().toString());
        }
        out.printf("%n[3/7] Policy %s applied (%s): mean accuracy over 20m below 0.90 -> retrain with TPE;%n", policy, policyFile);
        out.println("      verify: once the new version serves, its production accuracy is judged against 0.90 and v1's value at the breach");
        out.printf("      the retrain learns from %d labelled production rows sent back since the drift (%s);%n", feedback.size(), dataset);
        out.printf("      its gate scores the candidate against v1 on %d fresh labelled rows (%s)%n", gateRows.size(), gateData);

        // 4. wait for the clustered policy job to fire and the experiment to run
        long experiment = awaitExperiment(model);
        out.printf("%n[4/7] The policy fired; experiment %d is tuning (TPE, 20 trials, 2 at a time, median pruning, held-out log loss):%n", experiment);
        String status = followTrials(experiment);
        if (!"succeeded".equals(status)) {
            out.printf("      experiment %d ended %s: %s%n", experiment, status, experimentError(experiment));
            return false;
        }

        // 5. the product's own verdict: the challenger gate, a step of the experiment's job
        Map<String, Object> gate = jdbi.withHandle(h -> h.createQuery(GATE_VERDICT).bind("experiment", experiment).mapToMap().one());
        String v2Label = (String) gate.get("candidate_version");
        out.printf("%n[5/7] The challenger gate scored %s (v2) and %s (serving) on the fresh rows: %s %.3f vs %.3f -> %s%n",
                v2Label, gate.get("active_version"), gate.get("metric"), ((Number) gate.get("candidate_score")).doubleValue(),
                ((Number) gate.get("active_score")).doubleValue(), ((String) gate.get("verdict")).toUpperCase(java.util.Locale.ROOT));
        out.printf("      %s (no_worse: %s)%n", gate.get("reason"), gate.get("no_worse"));
        if (!"approved".equals(gate.get("verdict"))) return false;

        // 6. the hand-off: the serving stack hears of the approval, deploys the artifact, and reports under v2
        Optional<PromotionReceiver.Received> told = receiver.await(v2Label, HANDOFF_DEADLINE);
        if (told.isEmpty()) {
            out.printf("      no promotion webhook arrived within %ds; see lineage.promotion_notifications%n", HANDOFF_DEADLINE.toSeconds());
            return false;
        }
        JsonNode payload = told.get().payload();
        String artifact = payload.path("artifact_uri").asText();
        out.printf("%n[6/7] The serving stack's webhook received \"%s\" for %s (delivery %s, HMAC signature verified):%n",
                payload.path("event").asText(), v2Label, told.get().deliveryId());
        out.printf("      artifact %s, hyperparameters %s%n", artifact, payload.path("hyperparameters"));
        out.println("      it deploys v2 and reports its production windows; the first snapshots make v2 active and v1 retired:");
        String outcome = serveUntilVerified(model, experiment, v2Label, artifact, drift, poster);

        // 7. the lineage, as an analyst would ask for it
        printRow(String.format("%n[7/7] Why was %s retrained, and with what? (lineage.experiment_lineage)%n", model),
                resource("ExperimentLineage.sql"), experiment);
        printRow(String.format("%n      Did it help? (lineage.retrain_outcome)%n"), resource("RetrainOutcome.sql"), experiment);
        out.printf("%nDashboard: http://localhost:%d/ (models with their versions' timeline, this experiment with its gate and outcome, failed runs);%n",
                node.httpPort());
        out.println("it serves while the node runs: `ops/orchestrator serve` (or `demo --keep-serving`) shows all of this again.");
        out.println("Running the demo again adds a new model beside this one.");
        return "recovered".equals(outcome);
    }

    /** As an operator would with `models register MODEL v1 --artifact FILE`: the gate scores the serving version from it. */
    private void recordArtifact(String model, Path artifact) {
        jdbi.useTransaction(h -> OperatorActions.register(h, model, "v1", artifact.toString(), Actor.operator("demo", "demo"),
                "the demo's v1, trained before the drift"));
        out.printf("      v1's artifact recorded, as `models register %s v1 --artifact %s` does%n", model, artifact);
    }

    /**
     * The serving stack after the hand-off: a production window every {@link #SERVING_SPACING}, scored
     * by the deployed artifact, until the policy job has judged the retrain (or the deadline passes).
     */
    private String serveUntilVerified(String model, long experiment, String version, String artifact, DriftSimulator drift,
                                      SnapshotPoster poster) throws Exception {
        BuiltinEvaluator serving = null;
        Instant deadline = Instant.now().plus(VERIFICATION_DEADLINE);
        for (int w = 0; Instant.now().isBefore(deadline); w++) {
            Table window = drift.window(WINDOWS - 1, ROWS_PER_WINDOW, SEED + 1000 + w);
            serving = new BuiltinEvaluator(window, Optional.of(POSITIVE));
            Evaluation scored = serving.evaluate(new EvaluationRequest(model, version, experiment, EvaluationRole.CANDIDATE,
                    Optional.of(artifact), config.home(), () -> false));
            if (!scored.ok()) throw new IllegalStateException("the deployed artifact cannot score: " + scored.failure().orElse(""));
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            poster.post(model, version, at, window.size(), "demo", scored.metrics());
            Optional<String> outcome = jdbi.withHandle(h -> h.createQuery(VERIFICATION_OUTCOME).bind("experiment", experiment)
                    .mapTo(String.class).findOne());
            out.printf("      %s  %s accuracy %.3f  precision %.3f  recall %.3f  -> POST /api/v1/snapshots   verification: %s%n",
                    at, version, scored.metrics().get("accuracy"), scored.metrics().get("precision"), scored.metrics().get("recall"),
                    outcome.orElse("opens once v2 is active"));
            if (outcome.isPresent() && !"open".equals(outcome.get())) return outcome.get();
            Thread.sleep(SERVING_SPACING.toMillis());
        }
        return "undecided after " + VERIFICATION_DEADLINE.toSeconds() + " s";
    }

    /** The demo's v1: its hyperparameters on the rows before the drift. */
    static TrainedClassifier trainV1(Table rows) {
        return train(V1_HYPERPARAMETERS, rows);
    }

    private static TrainedClassifier train(Map<String, ?> hyperparameters, Table rows) {
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

    private void printRow(String heading, String sql, long experiment) {
        out.print(heading);
        out.println();
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
}
