package org.visutility.orchestrator.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A planned crash in the gate step after both versions were scored, before its transaction
 * commits (a trigger on gate_result fails the first insert), then a restart: the gate judges again,
 * and the experiment ends with one verdict and one approval.
 */
@ExtendWith(PostgresExtension.class)
class CrashBeforeTheGateCommitsThenRestartTest {
    private static final Path SCRIPTS = Path.of("src/test/resources/org/visutility/orchestrator/experiment/batch/gate").toAbsolutePath();

    @TempDir
    Path home;

    @Test
    void theRestartedGateStepDecidesOnceWithOneApprovalEvent(TestDatabase db) throws Exception {
        Path active = Files.createDirectories(home.resolve("v1"));
        Files.writeString(active.resolve("model.json"), "{\"accuracy\": 0.8}");
        long v1 = Lifecycles.version(db.jdbi(), "churn", "v1", "active");
        db.jdbi().useHandle(h -> {
            h.createUpdate("UPDATE orchestrator.model_version SET artifact_uri = :uri WHERE id = :id")
                    .bind("uri", active.resolve("model.json").toUri().toString()).bind("id", v1).execute();
            // nextval is not rolled back: the first insert fails, the next ones pass
            h.execute("CREATE SEQUENCE orchestrator.test_gate_crash");
            h.execute("""
                    CREATE FUNCTION orchestrator.test_gate_crash() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF nextval('orchestrator.test_gate_crash') = 1 THEN
                            RAISE EXCEPTION 'planned crash before the gate commits';
                        END IF;
                        RETURN NEW;
                    END $$""");
            h.execute("CREATE TRIGGER test_gate_crash BEFORE INSERT ON orchestrator.gate_result"
                    + " FOR EACH ROW EXECUTE FUNCTION orchestrator.test_gate_crash()");
        });
        List<String> ended = new CopyOnWriteArrayList<>();
        ExperimentObserver observer = new ExperimentObserver() {
            @Override
            public void experimentEnded(long experimentId, ExperimentStatus status) {
                ended.add(status.sql());
            }
        };
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 1}
                budget: {trials: 2}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: [sh, %s], env: {MODEL_METRICS: '{"accuracy": 0.9}'}}
                gate: {metric: accuracy, evaluator: {command: [sh, %s]}}
                """.formatted(SCRIPTS.resolve("train.sh"), SCRIPTS.resolve("evaluate.sh")));

        Experiments.runner(db, Experiments.config(db, home, Map.of()), observer).run(id, false);

        ExperimentRow failed = Experiments.row(db, id);
        assertThat(failed.status()).isEqualTo(ExperimentStatus.FAILED);
        assertThat(failed.error().orElseThrow()).contains("step gate failed").contains("planned crash before the gate commits");
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.gate_result WHERE experiment_id = :id", id)).isZero();
        assertThat(Lifecycles.status(db.jdbi(), "churn", "experiment-" + id)).isEqualTo("candidate");
        assertThat(active.resolve("evaluated-as-active.txt")).exists();
        Files.delete(active.resolve("evaluated-as-active.txt"));

        // restart (what ops restart does): back to the queue, then run again; it resumes at the gate step
        boolean requeued = db.jdbi().withHandle(h -> ExperimentRows.requeueFailed(h, id));
        assertThat(requeued).isTrue();
        Experiments.runner(db, Experiments.config(db, home, Map.of()), observer).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        assertThat(active.resolve("evaluated-as-active.txt")).as("the gate scored again").exists();
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.gate_result WHERE experiment_id = :id", id)).isOne();
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.model_version WHERE experiment_id = :id", id)).isOne();
        assertThat(Lifecycles.events(db.jdbi(), "churn", "experiment-" + id))
                .containsExactly("(new) -> candidate by experiment", "candidate -> approved by gate");
        assertThat(ended).containsExactly("failed", "succeeded");
        List<String> steps = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.step_name || ':' || s.status FROM batch.batch_step_execution s
                  JOIN batch.batch_job_execution j ON j.job_execution_id = s.job_execution_id
                 WHERE j.job_instance_id = (SELECT job_instance_id FROM batch.batch_job_execution WHERE job_execution_id = :job)
                 ORDER BY s.step_execution_id""").bind("job", Experiments.row(db, id).jobExecutionId().orElseThrow())
                .mapTo(String.class).list());
        assertThat(steps).containsExactly("prepare:COMPLETED", "trials:COMPLETED", "finalize:COMPLETED", "gate:FAILED", "gate:COMPLETED");

        // a second verdict for the experiment is refused by the table itself
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO orchestrator.gate_result (experiment_id, candidate_version_id, verdict, reason, evidence)
                SELECT experiment_id, candidate_version_id, 'rejected', 'again', '{}' FROM orchestrator.gate_result
                 WHERE experiment_id = ?""", id))).hasMessageContaining("gate_result_pkey");
    }
}
