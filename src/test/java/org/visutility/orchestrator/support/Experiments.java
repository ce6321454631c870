package org.visutility.orchestrator.support;

import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentRunner;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Queues and runs experiments in the test's JVM, and reads back what they wrote. */
public final class Experiments {
    public static final String OWNER = "test-node";

    private Experiments() {
    }

    /** A small spec for churn (random search, seed 5, four trials over x and n, minimize loss) with the given trainer mapping. */
    public static String spec(String trainer) {
        return """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 5}
                budget: {trials: 4}
                space:
                  x: {type: float, low: -1.0, high: 1.0}
                  n: {type: int, low: 1, high: 9}
                trainer: %s
                """.formatted(trainer);
    }

    public static long queue(TestDatabase db, String yaml) {
        ExperimentSpec spec = ExperimentSpec.parseYaml(yaml, "test spec");
        return db.jdbi().inTransaction(h -> ExperimentRows.insert(h, spec, "submit"));
    }

    /** Fast heartbeats and rescue, trial folders under {@code home}. */
    public static OrchestratorConfig config(TestDatabase db, Path home, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "ORCHESTRATOR_HOME", home.toString(),
                "ORCHESTRATOR_HEARTBEAT_INTERVAL", "200ms",
                "ORCHESTRATOR_RESCUE_AFTER", "1s"));
        settings.putAll(extra);
        return db.config(settings);
    }

    public static ExperimentRunner runner(TestDatabase db, Path home) {
        return runner(db, config(db, home, Map.of()), ExperimentObserver.NONE);
    }

    public static ExperimentRunner runner(TestDatabase db, OrchestratorConfig config, ExperimentObserver observer) {
        return new ExperimentRunner(db.jdbi(), BatchInfrastructure.create(db.dataSource()), config, OWNER, observer);
    }

    public static ExperimentRow row(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> ExperimentRows.find(h, id)).orElseThrow();
    }

    /** The experiment's trials by number: number, status, attempt, score, params (text), id, finished_at. */
    public static List<Map<String, Object>> trials(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT number, status, attempt, score, params::text AS params, id, finished_at, error, reports::text AS reports
                  FROM orchestrator.trial WHERE experiment_id = :id ORDER BY number""")
                .bind("id", id).mapToMap().list());
    }

    /** A quick experiment: random search of one parameter with the built-in sphere objective. */
    public static String sphere(int trials, int seed) {
        return """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: %d}
                budget: {trials: %d}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: function, function: sphere}
                """.formatted(seed, trials);
    }

    /** The experiment's trials by number, typed. */
    public static List<TrialRow> trialRows(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT number, status, attempt, score, params::text AS params, finished_at, error, reports::text AS reports
                  FROM orchestrator.trial WHERE experiment_id = :id ORDER BY number""")
                .bind("id", id).map((rs, ctx) -> {
                    double score = rs.getDouble("score");
                    OptionalDouble s = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(score);
                    OffsetDateTime finished = rs.getObject("finished_at", OffsetDateTime.class);
                    return new TrialRow(rs.getInt("number"), rs.getString("status"), rs.getInt("attempt"), s,
                            rs.getString("params"), Optional.ofNullable(finished).map(OffsetDateTime::toInstant),
                            Optional.ofNullable(rs.getString("error")), rs.getString("reports"));
                }).list());
    }

    /** The statuses of the experiment's Spring Batch job executions, oldest first. */
    public static List<String> executions(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT je.status FROM batch.batch_job_execution je
                  JOIN batch.batch_job_execution_params p ON p.job_execution_id = je.job_execution_id
                 WHERE p.parameter_name = 'experiment_id' AND p.parameter_value = CAST(:id AS text)
                 ORDER BY je.job_execution_id""").bind("id", id).mapTo(String.class).list());
    }

    public static long count(TestDatabase db, String sql, long id) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(Long.class).one());
    }
}
