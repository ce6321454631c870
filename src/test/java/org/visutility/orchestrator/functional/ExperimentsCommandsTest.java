package org.visutility.orchestrator.functional;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.app.Main;
import org.visutility.orchestrator.experiment.ExperimentRunner;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The experiments commands as users run them, on the example spec shipped in examples/. */
@ExtendWith(PostgresExtension.class)
class ExperimentsCommandsTest {
    private static final Path EXAMPLE = Path.of("examples", "quadratic-tuning.yaml");

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private Map<String, String> env(TestDatabase db) {
        // a node this class started and stopped counts as alive for two check-in intervals: keep them short
        Map<String, String> env = new HashMap<>(db.environment(Map.of("ORCHESTRATOR_DISPATCH_INTERVAL", "200ms",
                "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms",
                "ORCHESTRATOR_HEARTBEAT_INTERVAL", "200ms")));
        env.put("ORCHESTRATOR_HOME", home.toString());
        return env;
    }

    private int orchestrator(TestDatabase db, String... args) {
        out.reset();
        err.reset();
        return Main.run(env(db), args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The command's JSON line (in tests, log lines share stdout; in production they go to stderr). */
    private JsonNode jsonOut() throws Exception {
        return Json.MAPPER.readTree(stdout().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void submitWaitRunsTheExampleSpecToTheEndWithItsTrialsAndBestSetInTheLineageTables(TestDatabase db) throws Exception {
        int status = orchestrator(db, "experiments", "submit", EXAMPLE.toString(), "--wait", "--json");
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCode.OK);
        JsonNode result = jsonOut();
        long id = result.get("id").asLong();
        assertThat(result.get("status").asText()).isEqualTo("succeeded");
        int ended = result.get("trials").get("ended").asInt();
        assertThat(ended).isBetween(1, 24);
        assertThat(result.get("result").get("model_version").asText()).isEqualTo("experiment-" + id);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("experiment " + id + " submitted; waiting for it to end");

        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :id AND status = 'complete'", id))
                .isEqualTo(ended);
        Map<String, Object> lineage = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT e.trigger, m.name AS model, hs.score, mv.status, mv.artifact_uri
                  FROM orchestrator.experiment e
                  JOIN orchestrator.model m ON m.id = e.model_id
                  JOIN orchestrator.hyperparameter_set hs ON hs.experiment_id = e.id
                  JOIN orchestrator.model_version mv ON mv.hyperparameter_set_id = hs.id AND mv.experiment_id = e.id
                 WHERE e.id = :id""").bind("id", id).mapToMap().one());
        assertThat(lineage).containsEntry("trigger", "submit").containsEntry("model", "demo-quadratic").containsEntry("status", "approved");
        assertThat(lineage.get("score")).isEqualTo(result.get("result").get("score").asDouble());
        // the example trainer wrote its model where its final report said
        String artifact = (String) lineage.get("artifact_uri");
        assertThat(Path.of(artifact.substring("file://".length()))).exists();

        assertThat(orchestrator(db, "experiments", "show", Long.toString(id))).isEqualTo(ExitCode.OK);
        assertThat(stdout()).contains("experiment " + id + " (model demo-quadratic, submit, strategy random, minimize loss): succeeded")
                .contains("TRIAL  STATUS").contains("best set: trial ").contains("model version: demo-quadratic experiment-" + id + " (approved)").contains("gate: approved, no gate");
        assertThat(orchestrator(db, "experiments", "list")).isEqualTo(ExitCode.OK);
        assertThat(stdout()).containsPattern("(?m)^" + id + " +demo-quadratic +succeeded +submit +" + ended + "/24 +loss ");
    }

    @Test
    void submitWaitExitsWith1WhenTheExperimentFails(TestDatabase db) throws Exception {
        Path spec = Files.writeString(home.resolve("failing.yaml"), """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random}
                budget: {trials: 2}
                space: {x: {type: float, low: 0.0, high: 1.0}}
                trainer: {type: test-fault, fail: [0, 1]}
                """);
        assertThat(orchestrator(db, "experiments", "submit", spec.toString(), "--wait")).isEqualTo(ExitCode.FAILED);
        assertThat(stdout()).containsPattern("experiment \\d+ failed: no trial completed \\(2 failed, 0 pruned\\)");
    }

    @Test
    void submitWithoutWaitQueuesAndPrintsTheId(TestDatabase db) throws Exception {
        assertThat(orchestrator(db, "experiments", "submit", EXAMPLE.toString(), "--json")).isEqualTo(ExitCode.OK);
        JsonNode queued = jsonOut();
        assertThat(queued.get("status").asText()).isEqualTo("queued");
        assertThat(Experiments.row(db, queued.get("id").asLong()).specJson()).contains("\"workdir\"");
    }

    @Test
    void anInvalidSpecExitsWith2NamingEveryProblemAndQueuesNothing(TestDatabase db) throws Exception {
        Path bad = Files.writeString(home.resolve("bad.yaml"), """
                model: churn
                objective: {metric: loss, direction: down}
                strategy: {name: bohb}
                budget: {trials: 10}
                space: {x: {type: float, low: 1, high: 0}}
                trainer: {type: command, command: [sh, t.sh]}
                """);
        long before = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.experiment").mapTo(Long.class).one());
        assertThat(orchestrator(db, "experiments", "submit", bad.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid experiment spec in " + bad)
                .contains("objective.direction: must be maximize or minimize (is 'down')")
                .contains("strategy.name: unknown strategy 'bohb'; known: grid, motpe, nsga2, random, tpe")
                .contains("space.x.high: must be greater than low");
        long after = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.experiment").mapTo(Long.class).one());
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aSpecOrDatasetThatIsASystemFileExitsWith2WithoutQuotingIt(TestDatabase db) throws Exception {
        Path shadow = Files.writeString(home.resolve("shadow"), "root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
        assertThat(orchestrator(db, "experiments", "submit", shadow.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid experiment spec in " + shadow
                + ": spec: is not an experiment spec: none of its 2 top-level keys is one of").doesNotContain("SECRET", "daemon");

        for (String dataset : List.of("/etc/passwd", "../../../../../../../../etc/passwd", "/proc/self/environ")) {
            Path spec = Files.writeString(home.resolve("builtin.yaml"), """
                    model: churn
                    objective: {metric: accuracy, direction: maximize}
                    strategy: {name: random}
                    budget: {trials: 1}
                    space: {c: {type: float, low: 0.1, high: 1.0}}
                    trainer: {type: builtin, algorithm: logistic_regression, dataset: "%s"}
                    """.formatted(dataset));
            assertThat(orchestrator(db, "experiments", "submit", spec.toString())).as(dataset).isEqualTo(ExitCode.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).as(dataset).contains("trainer.dataset: ")
                    .doesNotContain("root:", "/bin/", "ORCHESTRATOR_", "PATH=");
        }
    }

    @Test
    void showOfAnUnknownExperimentIsBadInput(TestDatabase db) {
        assertThat(orchestrator(db, "experiments", "show", "987654")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no experiment 987654");
    }

    @Test
    void cancellingARunningExperimentStopsItsTrainers(TestDatabase db) throws Exception {
        Path pidFile = home.resolve("trainer.pid");
        Path script = Files.writeString(home.resolve("slow.sh"), """
                sleep 60 &
                echo $! > "%s"
                wait
                """.formatted(pidFile));
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random}
                budget: {trials: 3}
                space: {x: {type: float, low: 0.0, high: 1.0}}
                trainer: {type: command, command: [sh, %s]}
                """.formatted(script));
        ExperimentRunner runner = Experiments.runner(db, home);
        Thread run = new Thread(() -> runner.run(id, false));
        run.start();
        Await.until("the trainer to start", Duration.ofSeconds(30), () -> !readOrEmpty(pidFile).isBlank());
        long trainerChild = Long.parseLong(readOrEmpty(pidFile).strip());

        assertThat(orchestrator(db, "experiments", "cancel", Long.toString(id))).isEqualTo(ExitCode.OK);
        assertThat(stdout()).contains("experiment " + id + " cancelled (was running)");
        run.join(30_000);
        assertThat(run.isAlive()).isFalse();

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.CANCELLED);
        List<Map<String, Object>> trials = Experiments.trials(db, id);
        assertThat(trials).singleElement().satisfies(t -> assertThat(t).containsEntry("status", "failed")
                .containsEntry("error", "stopped: the experiment was cancelled"));
        Await.processGone(trainerChild);

        assertThat(orchestrator(db, "experiments", "cancel", Long.toString(id))).isEqualTo(ExitCode.OK);
        assertThat(stdout()).contains("already cancelled");
    }

    private static String readOrEmpty(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
