package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentReports;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.experiment.TrialExclusions;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A two-objective experiment end to end, with a trainer that reports accuracy = 1 − x²/10 (maximised)
 * and latency_ms = 10 + 5·(x − 2)² (minimised) for x in [−1, 3]: the Pareto front is x in [0, 2], and
 * latency_ms ≤ 20 holds for x ≥ 2 − √2. The front, the choice and lineage.pareto_front (read as the
 * reader role) are checked against a brute-force front computed here from the trial rows.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParetoFrontExperimentTest {
    private static final String ANALYST = "analyst_pareto";
    private static final String PASSWORD = "analyst-pareto-password";
    private TestDatabase db;
    @TempDir
    Path home;

    private record Trial(long id, int number, String status, double accuracy, double latency, String error) {
    }

    @BeforeAll
    void reader(TestDatabase db) {
        this.db = db;
        String reader = db.createRoles().reader();
        db.jdbi().useHandle(h -> h.execute("CREATE ROLE " + ANALYST + " LOGIN PASSWORD '" + PASSWORD + "' IN ROLE " + reader));
    }

    private String spec(String select, String script) {
        return """
                model: churn
                objective: [{metric: accuracy, direction: maximize}, {metric: latency_ms, direction: minimize}]
                %s
                strategy: {name: nsga2, seed: 3, population_size: 4}
                budget: {trials: 12, parallel: 2}
                space:
                  x: {type: float, low: -1.0, high: 3.0}
                trainer: {type: command, command: [sh, %s]}
                """.formatted(select, script);
    }

    private Path trainer(String printf) throws Exception {
        return Files.writeString(Files.createTempFile(home, "trainer", ".sh"), """
                for a in "$@"; do case "$a" in --x=*) x="${a#--x=}";; esac; done
                awk -v x="$x" 'BEGIN { %s }'
                """.formatted(printf));
    }

    private Path bothObjectives() throws Exception {
        return trainer("printf \"{\\\"accuracy\\\": %.9f, \\\"latency_ms\\\": %.9f}\\n\", 1 - x*x/10, 10 + 5*(x-2)*(x-2)");
    }

    private List<Trial> trials(long experiment) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT id, number, status, (metrics ->> 'accuracy')::float8 AS accuracy, (metrics ->> 'latency_ms')::float8 AS latency, error
                  FROM orchestrator.trial WHERE experiment_id = :id ORDER BY number""").bind("id", experiment)
                .map((rs, ctx) -> new Trial(rs.getLong("id"), rs.getInt("number"), rs.getString("status"), rs.getDouble("accuracy"),
                        rs.getDouble("latency"), rs.getString("error"))).list());
    }

    /** The brute-force front: complete trials no other complete, included trial dominates. */
    private static List<Trial> front(List<Trial> trials, List<Integer> excluded) {
        List<Trial> in = trials.stream().filter(t -> t.status().equals("complete") && !excluded.contains(t.number())).toList();
        List<Trial> front = new ArrayList<>();
        for (Trial t : in) {
            boolean dominated = in.stream().anyMatch(u -> u.accuracy() >= t.accuracy() && u.latency() <= t.latency()
                    && (u.accuracy() > t.accuracy() || u.latency() < t.latency()));
            if (!dominated) front.add(t);
        }
        return front;
    }

    private static Optional<Trial> chosen(List<Trial> front, double maxLatency) {
        Trial best = null;
        for (Trial t : front) {
            if (t.latency() <= maxLatency && (best == null || t.accuracy() > best.accuracy())) best = t;
        }
        return Optional.ofNullable(best);
    }

    /** lineage.pareto_front for the experiment, read as an analyst: trial number → [first_value, second_value, selected]. */
    private Map<Integer, List<Object>> paretoFrontAsReader(long experiment) throws SQLException {
        return paretoFrontAsReader(experiment, "accuracy", "accuracy");
    }

    private Map<Integer, List<Object>> paretoFrontAsReader(long experiment, String firstMetric, String selectMetric) throws SQLException {
        Map<Integer, List<Object>> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(db.url(), ANALYST, PASSWORD); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT trial_number, first_value, second_value, selected, objective_values::text AS v,"
                     + " select_metric, select_constraint FROM lineage.pareto_front WHERE experiment_id = " + experiment
                     + " ORDER BY trial_number")) {
            while (rs.next()) {
                assertThat(rs.getString("select_metric")).isEqualTo(selectMetric);
                JsonNode values = Json.MAPPER.readTree(rs.getString("v"));
                assertThat(values.get(firstMetric).asDouble()).isEqualTo(rs.getDouble("first_value"));
                rows.put(rs.getInt("trial_number"), List.of(rs.getDouble("first_value"), rs.getDouble("second_value"), rs.getBoolean("selected")));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
        return rows;
    }

    private int versions(long experiment) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.model_version WHERE experiment_id = :id")
                .bind("id", experiment).mapTo(Integer.class).one());
    }

    private int currentBestTrial(long experiment) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT t.number FROM orchestrator.hyperparameter_set hs JOIN orchestrator.trial t ON t.id = hs.trial_id
                 WHERE hs.experiment_id = :id AND hs.replaced_at IS NULL""").bind("id", experiment).mapTo(Integer.class).one());
    }

    @Test
    void theBestSetIsTheFrontsMostAccurateTrialWithinTheLatencyBoundAndTheViewListsTheFront() throws Exception {
        long id = Experiments.queue(db, spec("select: {metric: accuracy, constraint: \"latency_ms <= 20\"}", bothObjectives().toString()));
        Experiments.runner(db, home).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        List<Trial> trials = trials(id);
        assertThat(trials).hasSize(12).allSatisfy(t -> assertThat(t.status()).isEqualTo("complete"));
        List<Trial> front = front(trials, List.of());
        Trial expected = chosen(front, 20).orElseThrow();
        assertThat(currentBestTrial(id)).isEqualTo(expected.number());
        String selectionText = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT selection::text FROM orchestrator.hyperparameter_set WHERE experiment_id = :id AND replaced_at IS NULL")
                .bind("id", id).mapTo(String.class).one());
        JsonNode selection = Json.MAPPER.readTree(selectionText);
        assertThat(selection.path("rule").asText()).isEqualTo("pareto");
        assertThat(selection.path("constraint").asText()).isEqualTo("latency_ms <= 20");
        assertThat(selection.path("front_size").asInt()).isEqualTo(front.size());
        assertThat(selection.path("meeting_constraint").asInt()).isEqualTo((int) front.stream().filter(t -> t.latency() <= 20).count());
        assertThat(versions(id)).as("the chosen set is registered").isEqualTo(1);

        // experiments list|show: the select metric, and the chosen trial as the best
        ExperimentReports.Summary summary = db.jdbi().withHandle(h -> ExperimentReports.summary(h, id)).orElseThrow();
        assertThat(summary.metric() + ":" + summary.direction()).isEqualTo("accuracy:maximize");
        assertThat(summary.bestNumber()).hasValue(expected.number());
        assertThat(summary.bestScore()).hasValue(expected.accuracy());

        Map<Integer, List<Object>> view = paretoFrontAsReader(id);
        assertThat(view.keySet()).containsExactlyElementsOf(front.stream().map(Trial::number).toList());
        for (Trial t : front) {
            assertThat(view.get(t.number())).containsExactly(t.accuracy(), t.latency(), t.number() == expected.number());
        }

        // excluding the chosen trial: the front and the choice are recomputed without it, in the table and the view
        TrialExclusions.Outcome out = db.jdbi().inTransaction(h -> TrialExclusions.change(h, id, expected.number(),
                TrialExclusions.Action.EXCLUDE, Actor.operator("--actor", "test"), "a leaked label"));
        List<Trial> after = front(trials, List.of(expected.number()));
        Trial next = chosen(after, 20).orElseThrow();
        assertThat(out.bestChange()).hasValueSatisfying(b -> assertThat(b.number()).isEqualTo(next.number()));
        assertThat(currentBestTrial(id)).isEqualTo(next.number());
        Map<Integer, List<Object>> viewAfter = paretoFrontAsReader(id);
        assertThat(viewAfter.keySet()).doesNotContain(expected.number()).containsExactlyElementsOf(after.stream().map(Trial::number).toList());
        assertThat(viewAfter.entrySet().stream().filter(e -> (Boolean) e.getValue().get(2)).map(Map.Entry::getKey).toList())
                .containsExactly(next.number());
    }

    @Test
    void whenNoFrontMemberMeetsTheConstraintTheExperimentFailsNamingTheClosestAndRegistersNothing() throws Exception {
        long id = Experiments.queue(db, spec("select: {metric: accuracy, constraint: \"latency_ms < 5\"}", bothObjectives().toString()));
        Experiments.runner(db, home).run(id, false);

        var row = Experiments.row(db, id);
        assertThat(row.status()).isEqualTo(ExperimentStatus.FAILED);
        List<Trial> front = front(trials(id), List.of());
        Trial closest = front.stream().min((a, b) -> Double.compare(a.latency(), b.latency())).orElseThrow();
        assertThat(row.error().orElseThrow()).startsWith("no trial on the Pareto front (trials ")
                .contains("meets select.constraint \"latency_ms < 5\"")
                .contains("the closest is trial " + closest.number() + " with latency_ms = " + closest.latency());
        assertThat(versions(id)).isZero();
        Map<Integer, List<Object>> view = paretoFrontAsReader(id);
        assertThat(view.keySet()).containsExactlyElementsOf(front.stream().map(Trial::number).toList());
        assertThat(view.values()).allSatisfy(r -> assertThat(r.get(2)).isEqualTo(false));
    }

    @Test
    void aTrialThatDoesNotReportEveryObjectiveFailsNamingTheMissingOne() throws Exception {
        Path onlyAccuracy = trainer("printf \"{\\\"accuracy\\\": %.9f}\\n\", 1 - x*x/10");
        long id = Experiments.queue(db, spec("", onlyAccuracy.toString()).replace("trials: 12, parallel: 2", "trials: 2"));
        Experiments.runner(db, home).run(id, false);

        assertThat(trials(id)).hasSize(2).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo("failed");
            assertThat(t.error()).isEqualTo("the final report has no \"latency_ms\" (one of the objectives accuracy, latency_ms;"
                    + " every one must be reported); it reported: accuracy");
        });
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(new TreeSet<>(paretoFrontAsReader(id).keySet())).isEmpty();
    }
    @Test
    void theBuiltInZdt1FunctionGivesAFrontThatTheViewListsForTheRunsOfItsWindowOnly() throws Exception {
        long id = Experiments.queue(db, """
                model: churn
                objective: [{metric: f1, direction: minimize}, {metric: f2, direction: minimize}]
                select: {metric: f2, constraint: "f1 <= 0.5"}
                strategy: {name: random, seed: 4}
                budget: {trials: 20}
                space:
                  a: {type: float, low: 0.0, high: 1.0}
                  b: {type: float, low: 0.0, high: 1.0}
                trainer: {type: function, function: zdt1}
                """);
        Experiments.runner(db, home).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        // the front by brute force over the trials' f1 and f2 (both minimised)
        List<double[]> trials = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT number, (metrics ->> 'f1')::float8 AS f1, (metrics ->> 'f2')::float8 AS f2
                  FROM orchestrator.trial WHERE experiment_id = :id AND status = 'complete' ORDER BY number""")
                .bind("id", id).map((rs, ctx) -> new double[]{rs.getInt("number"), rs.getDouble("f1"), rs.getDouble("f2")}).list());
        assertThat(trials).hasSize(20);
        List<Integer> front = trials.stream().filter(t -> trials.stream().noneMatch(u -> u[1] <= t[1] && u[2] <= t[2]
                && (u[1] < t[1] || u[2] < t[2]))).map(t -> (int) t[0]).toList();
        assertThat(paretoFrontAsReader(id, "f1", "f2").keySet()).containsExactlyElementsOf(front);
        assertThat(windowAsReader()).as("the experiments of the last 14 days (this class's others too)").contains(id);

        // enqueued 15 days ago: out of the last 14 days' window, still found by its id
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE orchestrator.experiment SET queued_at = queued_at - interval '15 days' WHERE id = :id")
                .bind("id", id).execute());
        assertThat(windowAsReader()).doesNotContain(id);
        assertThat(paretoFrontAsReader(id, "f1", "f2").keySet()).containsExactlyElementsOf(front);
    }

    /** The experiments lineage.pareto_front lists for the last 14 days, read as an analyst. */
    private List<Long> windowAsReader() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), ANALYST, PASSWORD); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT experiment_id FROM lineage.pareto_front WHERE enqueued_at >= now() - interval '14 days'")) {
            while (rs.next()) ids.add(rs.getLong(1));
        }
        return ids;
    }
}
