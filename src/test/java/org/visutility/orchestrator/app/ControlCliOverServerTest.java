package org.visutility.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * experiments submit, experiments cancel, ops restart and ops abandon with --server (or ORCHESTRATOR_SERVER) and
 * ORCHESTRATOR_TOKEN, from an environment with no database settings at all: they send their request
 * to a node started here and print and exit as they do on the database.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlCliOverServerTest {
    @TempDir
    static Path home;

    private TestDatabase db;
    private Node node;
    private String server;
    private long failed;
    private long ended;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        failed = Experiments.queue(db, ControlApiTest.failingSpec());
        Experiments.runner(db, home).run(failed, false);
        ended = Experiments.queue(db, ControlApiTest.failingSpec());
        Experiments.runner(db, home).run(ended, false);
        node = Node.start(Experiments.config(db, home, Map.of(
                "ORCHESTRATOR_OPERATOR_TOKENS", "laptop:" + ControlApiTest.OPERATOR,
                "ORCHESTRATOR_DISPATCH_INTERVAL", "1h")), Modules.all());
        server = "http://127.0.0.1:" + node.httpPort();
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    /** A laptop's environment: a token and maybe the server, no database. */
    private Map<String, String> laptop(boolean withServer) {
        Map<String, String> env = new HashMap<>();
        env.put("ORCHESTRATOR_HOME", home.resolve("laptop").toString());
        env.put("ORCHESTRATOR_TOKEN", ControlApiTest.OPERATOR);
        if (withServer) env.put("ORCHESTRATOR_SERVER", server);
        return env;
    }

    private Path specFile(String name, String yaml) throws Exception {
        Path file = home.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void submitSendsTheSpecAndPrintsWhatItPrintsOnTheDatabase() throws Exception {
        Path spec = specFile("sphere.yaml", Experiments.sphere(2, 4));
        Cli.Run text = Cli.run(laptop(false), "experiments", "submit", spec.toString(), "--server", server);
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("experiment \\d+ queued: model churn, 2 trials, strategy random");

        Cli.Run json = Cli.run(laptop(true), "experiments", "submit", spec.toString(), "--json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode out = OpsCli.json(json);
        assertThat(out.path("status").asText()).isEqualTo("queued");
        assertThat(Experiments.row(db, out.path("id").asLong()).status()).isEqualTo(ExperimentStatus.QUEUED);
        String submittedBy = db.jdbi().withHandle(h -> h.createQuery("SELECT submitted_by FROM orchestrator.experiment WHERE id = :id")
                .bind("id", out.path("id").asLong()).mapTo(String.class).one());
        assertThat(submittedBy).isEqualTo("operator:laptop");
    }

    @Test
    void submitSupersedesOverTheServerRecordsTheReplacedRunAndRefusesOneStillQueued() throws Exception {
        long cancelled = Experiments.queue(db, Experiments.sphere(2, 5));
        db.jdbi().useHandle(h -> h.execute("UPDATE orchestrator.experiment SET status = 'cancelled', finished_at = now() WHERE id = ?", cancelled));
        Path spec = specFile("again.yaml", Experiments.sphere(2, 6));

        Cli.Run json = Cli.run(laptop(true), "experiments", "submit", spec.toString(), "--supersedes", Long.toString(cancelled), "--json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode out = OpsCli.json(json);
        assertThat(out.path("supersedes").asLong()).isEqualTo(cancelled);
        Long recorded = db.jdbi().withHandle(h -> h.createQuery("SELECT supersedes_experiment_id FROM orchestrator.experiment WHERE id = :id")
                .bind("id", out.path("id").asLong()).mapTo(Long.class).one());
        assertThat(recorded).isEqualTo(cancelled);

        long before = experiments();
        long queued = out.path("id").asLong();
        Cli.Run refused = Cli.run(laptop(true), "experiments", "submit", spec.toString(), "--supersedes", Long.toString(queued));
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("supersedes: experiment " + queued + " is still queued");
        Cli.Run unknown = Cli.run(laptop(true), "experiments", "submit", spec.toString(), "--supersedes", "987654");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("supersedes: no experiment 987654");
        assertThat(experiments()).as("nothing was queued").isEqualTo(before);
    }

    @Test
    void anInvalidSpecOrAWrongTokenExitsTwoAndAnUnreachableServerOne() throws Exception {
        long before = experiments();
        Path relative = specFile("relative.yaml", Experiments.spec("{type: command, command: [python3, train.py], workdir: trainers}"));
        Cli.Run invalid = Cli.run(laptop(true), "experiments", "submit", relative.toString());
        assertThat(invalid.status()).isEqualTo(2);
        assertThat(invalid.err()).contains("trainer.workdir", "absolute");

        Map<String, String> wrongToken = laptop(true);
        wrongToken.put("ORCHESTRATOR_TOKEN", "not-the-token-at-all-0000");
        Cli.Run refused = Cli.run(wrongToken, "experiments", "submit", specFile("ok.yaml", Experiments.sphere(2, 1)).toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("not a configured token");

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Cli.Run unreachable = Cli.run(laptop(false), "experiments", "cancel", "1", "--server", "http://127.0.0.1:" + closedPort);
        assertThat(unreachable.status()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach");
        assertThat(experiments()).isEqualTo(before);
    }

    @Test
    void cancelOverTheServerCancelsRefusesAnEndedOneAndNamesAnUnknownOne() {
        long queued = Experiments.queue(db, Experiments.sphere(2, 9));
        Cli.Run ok = Cli.run(laptop(true), "experiments", "cancel", Long.toString(queued));
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("experiment " + queued + " cancelled (was queued)");
        assertThat(Experiments.row(db, queued).error()).contains("cancelled by operator:laptop (control API)");

        Cli.Run refused = Cli.run(laptop(true), "experiments", "cancel", Long.toString(ended), "--json");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(OpsCli.json(refused).path("cancelled").asBoolean()).isFalse();
        assertThat(OpsCli.json(refused).path("status").asText()).isEqualTo("failed");
        Cli.Run refusedText = Cli.run(laptop(true), "experiments", "cancel", Long.toString(ended));
        assertThat(refusedText.out()).contains("experiment " + ended + " already failed; nothing to cancel");

        Cli.Run unknown = Cli.run(laptop(true), "experiments", "cancel", "987654");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("no experiment 987654");
    }

    @Test
    void restartOverTheServerRefusesAsOnTheDatabaseThenRequeuesWithRetryFailed() {
        Cli.Run plain = Cli.run(laptop(true), "ops", "restart", Long.toString(failed), "--json");
        assertThat(plain.status()).isEqualTo(1);
        assertThat(OpsCli.json(plain).path("restarted").asBoolean()).isFalse();
        assertThat(plain.err()).contains("--retry-failed");
        assertThat(Experiments.row(db, failed).status()).isEqualTo(ExperimentStatus.FAILED);

        Cli.Run retry = Cli.run(laptop(true), "ops", "restart", Long.toString(failed), "--retry-failed", "--json");
        assertThat(retry.status()).as(retry.err()).isZero();
        JsonNode out = OpsCli.json(retry);
        assertThat(out.path("restarted").asBoolean()).isTrue();
        assertThat(out.path("retry_failed").asBoolean()).isTrue();
        assertThat(Experiments.row(db, failed).status()).isEqualTo(ExperimentStatus.QUEUED);
        String actor = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT actor FROM orchestrator.experiment_intervention WHERE experiment_id = :id ORDER BY id DESC LIMIT 1")
                .bind("id", failed).mapTo(String.class).one());
        assertThat(actor).isEqualTo("operator:laptop");
    }

    @Test
    void abandonOverTheServerGivesUpAFailedRunAndRefusesItTheSecondTime() {
        long id = Experiments.queue(db, ControlApiTest.failingSpec());
        Experiments.runner(db, home).run(id, false);
        Cli.Run ok = Cli.run(laptop(true), "ops", "abandon", Long.toString(id));
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("experiment " + id + " (was failed)");
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.ABANDONED);
        Cli.Run again = Cli.run(laptop(true), "ops", "abandon", Long.toString(id), "--json");
        assertThat(again.status()).isEqualTo(1);
        assertThat(OpsCli.json(again).path("abandoned").asBoolean()).isFalse();
    }

    private long experiments() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.experiment").mapTo(Long.class).one());
    }

    @Test
    void modelsPromoteRejectAndRollbackGoThroughTheNodeWithTheTokensName() throws Exception {
        Lifecycles.version(db.jdbi(), "laptop-model", "v1", "active");
        Lifecycles.version(db.jdbi(), "laptop-model", "v2", "candidate");
        Lifecycles.version(db.jdbi(), "laptop-model", "v3", "candidate");

        Cli.Run promote = Cli.run(laptop(true), "models", "promote", "laptop-model", "v2", "--reason", "better on the EU segment");
        assertThat(promote.status()).as(promote.err()).isZero();
        assertThat(promote.out()).contains("version v2 of laptop-model is active (was candidate); v1 retired");
        assertThat(Lifecycles.events(db.jdbi(), "laptop-model", "v2")).endsWith("candidate -> approved by operator:laptop",
                "approved -> active by operator:laptop");

        Cli.Run reject = Cli.run(laptop(true), "models", "reject", "laptop-model", "v3", "--reason", "worse on recall", "--json");
        assertThat(reject.status()).as(reject.err()).isZero();
        assertThat(OpsCli.json(reject).path("status").asText()).isEqualTo("rejected");

        Cli.Run rollback = Cli.run(laptop(true), "models", "rollback", "laptop-model");
        assertThat(rollback.status()).as(rollback.err()).isZero();
        assertThat(Lifecycles.statuses(db.jdbi(), "laptop-model")).containsEntry("v1", "active").containsEntry("v2", "retired");

        // refusals exit 2 as they do on the database, and an --actor cannot pretend to be someone else
        Cli.Run refused = Cli.run(laptop(true), "models", "promote", "laptop-model", "v3");
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("was rejected");
        Cli.Run actor = Cli.run(laptop(true), "models", "rollback", "laptop-model", "--actor", "mallory");
        assertThat(actor.status()).isEqualTo(2);
        assertThat(actor.err()).contains("--actor cannot be used with --server");
        assertThat(Lifecycles.statuses(db.jdbi(), "laptop-model")).containsEntry("v1", "active").containsEntry("v3", "rejected");
    }

    @Test
    void trialsExcludeAndIncludeGoThroughTheNodeWithTheTokensName() {
        String id = Long.toString(ended);
        Cli.Run exclude = Cli.run(laptop(true), "trials", "exclude", id, "0", "--reason", "ran on a broken node");
        assertThat(exclude.status()).as(exclude.out() + exclude.err()).isEqualTo(0);
        assertThat(exclude.out()).contains("trial 0 of experiment " + id + " is excluded (operator:laptop)");
        Cli.Run again = Cli.run(laptop(true), "trials", "exclude", id, "0", "--reason", "again");
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("is already excluded");
        Cli.Run actor = Cli.run(laptop(true), "trials", "include", id, "0", "--reason", "x", "--actor", "mallory");
        assertThat(actor.status()).isEqualTo(2);
        assertThat(actor.err()).contains("--actor cannot be used with --server");
        Cli.Run include = Cli.run(laptop(true), "trials", "include", id, "0", "--reason", "the node was fine", "--json");
        assertThat(include.status()).as(include.out() + include.err()).isEqualTo(0);
        assertThat(include.out()).contains("\"excluded\":false").contains("\"actor\":\"operator:laptop\"");
        String events = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT string_agg(action || '/' || actor, ',' ORDER BY id) FROM orchestrator.trial_exclusion_event WHERE experiment_id = :id")
                .bind("id", ended).mapTo(String.class).one());
        assertThat(events).isEqualTo("exclude/operator:laptop,include/operator:laptop");
    }
}
