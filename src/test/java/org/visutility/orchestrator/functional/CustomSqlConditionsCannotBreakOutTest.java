package org.visutility.orchestrator.functional;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.policy.PolicyApplier;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks reported on custom SQL conditions, each as applied with {@code policies apply} and
 * as run by the evaluation pass (for a predicate stored before apply-time checks could catch it):
 * the text runs as one subquery, under the policy-condition role (SELECT on the metric tables only),
 * read-only, with its timeout, and its connection never goes back to the pool holding a lock.
 */
@ExtendWith(PolicyBedExtension.class)
class CustomSqlConditionsCannotBreakOutTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String HARMLESS = "SELECT false AS breach";

    private static String file(String policy, String model, String sql, String timeout) {
        return "policies:\n"
                + "  - name: " + policy + "\n"
                + "    model: " + model + "\n"
                + "    when: {sql: \"" + sql.replace("\"", "\\\"") + "\"" + (timeout == null ? "" : ", timeout: " + timeout) + "}\n"
                + "    experiment: " + PolicyFiles.inlineExperiment(model) + "\n";
    }

    private static Cli.Run apply(PolicyBed bed, String yaml) {
        Path file = PolicyFiles.write(bed.dir(), "attack.yaml", yaml);
        return Cli.run(bed.db.environment(Map.of()), "policies", "apply", file.toString());
    }

    /** A policy whose predicate was stored before apply checked it (or by hand): the pass must hold on its own. */
    private static void storeWithoutApplyChecks(PolicyBed bed, String policy, String model, String sql, String timeout) {
        Path harmless = PolicyFiles.write(bed.dir(), policy + ".yaml", file(policy, model, HARMLESS, timeout));
        new PolicyApplier(bed.jdbi(), bed.sqlConditions).apply(PolicyFileParser.parse(harmless), harmless.toString());
        bed.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE orchestrator.retrain_policy_version v SET spec = jsonb_set(v.spec, '{when,0,sql}', to_jsonb(:sql::text))
                          FROM orchestrator.retrain_policy p WHERE p.id = v.policy_id AND p.name = :policy""")
                .bind("sql", sql).bind("policy", policy).execute());
        bed.history().model(model).from(T0).values(0.5);
    }

    private static int models(PolicyBed bed, String name) {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.model WHERE name = :n")
                .bind("n", name).mapTo(Integer.class).one());
    }

    private static int policies(PolicyBed bed) {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.retrain_policy").mapTo(Integer.class).one());
    }

    @Test
    void severalStatementsAreRejectedAtApplyAndTheirInsertNeverCommits(PolicyBed bed) {
        Cli.Run run = apply(bed, file("stacked", "churn", "SELECT true AS breach; COMMIT; INSERT INTO orchestrator.model(name) VALUES ('intruder')", null));

        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("attack.yaml:4: policies[0].when: the predicate does not run: the predicate must be a single query")
                .contains("nothing was applied");
        assertThat(models(bed, "intruder")).isZero();
        assertThat(policies(bed)).isZero();
    }

    @Test
    void aPredicateThatClosesItsSubqueryToAddStatementsIsRejected(PolicyBed bed) {
        String breakout = "SELECT true AS breach) AS x; INSERT INTO orchestrator.model(name) VALUES ('intruder'); SELECT * FROM (SELECT true AS breach";

        Cli.Run run = apply(bed, file("breakout", "churn", breakout, null));
        storeWithoutApplyChecks(bed, "breakout-pass", "churn", breakout, null);
        bed.evaluateAt(T0.plus(Duration.ofMinutes(1)));

        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("the predicate must be a single query");
        assertThat(models(bed, "intruder")).isZero();
    }

    @Test
    void aPredicateStartingWithCommitIsRejectedAndItsInsertNeverCommits(PolicyBed bed) {
        Cli.Run run = apply(bed, file("commit-first", "churn", "COMMIT; INSERT INTO orchestrator.model(name) VALUES ('intruder')", null));

        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("nothing was applied");
        assertThat(models(bed, "intruder")).isZero();
    }

    @Test
    void aStoredMultiStatementPredicateWritesNothingOnAnyPass(PolicyBed bed) {
        storeWithoutApplyChecks(bed, "stacked", "churn",
                "SELECT true AS breach; COMMIT; INSERT INTO orchestrator.model(name) VALUES ('intruder')", null);

        bed.evaluateAt(T0.plus(Duration.ofMinutes(1)));
        bed.evaluateAt(T0.plus(Duration.ofMinutes(2)));

        assertThat(models(bed, "intruder")).isZero();
        assertThat(bed.state("stacked")).isEqualTo("ok");
    }

    @Test
    void aPredicateCannotLiftItsTimeoutToHoldUpThePass(PolicyBed bed) {
        storeWithoutApplyChecks(bed, "set-local", "a", "SET LOCAL statement_timeout = 0; SELECT pg_sleep(25) IS NULL AS breach", "300ms");
        storeWithoutApplyChecks(bed, "set-config", "b",
                "SELECT set_config('statement_timeout', '0', false) IS NOT NULL AND pg_sleep(25) IS NULL AS breach", "300ms");

        long started = System.nanoTime();
        PolicyEvaluator.PassResult pass = bed.evaluateAt(T0.plus(Duration.ofMinutes(1)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(pass.evaluated()).isEqualTo(2);
        assertThat(pass.changes()).isEmpty();
    }

    @Test
    void copyToProgramRunsNoShellCommand(PolicyBed bed) throws IOException {
        // writable by the database server, whichever user it runs as
        Path dir = Files.createTempDirectory("copy-to-program-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path marker = dir.resolve("pwned");
        String copy = "SELECT true AS breach; COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'";
        try {
            Cli.Run run = apply(bed, file("copy-apply", "churn", copy, null));
            assertThat(run.status()).isEqualTo(ExitCode.USAGE);
            storeWithoutApplyChecks(bed, "copy-pass", "churn", copy, null);
            bed.evaluateAt(T0.plus(Duration.ofMinutes(1)));

            assertThat(marker).doesNotExist();
        } finally {
            Files.deleteIfExists(marker);
            Files.delete(dir);
        }
    }

    @Test
    void terminateBackendCannotKillTheNodesConnections(PolicyBed bed) {
        String kill = "SELECT count(pg_terminate_backend(pid)) >= 0 AS breach FROM pg_stat_activity"
                + " WHERE application_name = 'visutility-orchestrator' AND datname = current_database() AND pid <> pg_backend_pid()";
        try (Handle held = bed.jdbi().open()) {
            held.createQuery("SELECT 1").mapTo(Integer.class).one();

            Cli.Run run = apply(bed, file("kill-apply", "churn", kill, null));
            assertThat(run.status()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("permission denied to terminate process");
            storeWithoutApplyChecks(bed, "kill-pass", "churn", kill, null);
            bed.evaluateAt(T0.plus(Duration.ofMinutes(1)));

            assertThat(held.createQuery("SELECT 1").mapTo(Integer.class).one()).as("the node's connection still answers").isEqualTo(1);
        }
    }

    @Test
    void anAdvisoryLockIsNotKeptByAPooledConnection(PolicyBed bed) {
        bed.history().model("churn").from(T0).values(0.5);
        bed.apply(file("locks", "churn", "SELECT pg_advisory_lock(4242) IS NOT NULL AS breach", null));

        PolicyEvaluator.PassResult pass = bed.evaluateAt(T0.plus(Duration.ofMinutes(1)));

        assertThat(pass.changes()).as("the predicate itself ran and held").singleElement()
                .satisfies(c -> assertThat(c.to()).isEqualTo("firing"));
        boolean free = bed.jdbi().withHandle(h -> {
            boolean got = h.createQuery("SELECT pg_try_advisory_lock(4242)").mapTo(Boolean.class).one();
            if (got) h.createQuery("SELECT pg_advisory_unlock(4242)").mapTo(Boolean.class).one();
            return got;
        });
        assertThat(free).as("no connection kept the predicate's session lock (apply's or the pass's)").isTrue();
    }

    @Test
    void aPredicateReadsOnlyTheMetricTables(PolicyBed bed) {
        Cli.Run run = apply(bed, "policies:\n"
                + "  - name: secrets\n    model: churn\n    when: {sql: \"SELECT count(*) >= 0 AS breach FROM orchestrator.retrain_policy_version\"}\n"
                + "    experiment: " + PolicyFiles.inlineExperiment("churn") + "\n"
                + "  - name: scheduler\n    model: churn\n    when: {sql: \"SELECT count(*) >= 0 AS breach FROM quartz.qrtz_locks\"}\n"
                + "    experiment: " + PolicyFiles.inlineExperiment("churn") + "\n"
                + "  - name: files\n    model: churn\n    when: {sql: \"SELECT pg_read_file('/etc/hostname') IS NOT NULL AS breach\"}\n"
                + "    experiment: " + PolicyFiles.inlineExperiment("churn") + "\n"
                + "  - name: specs\n    model: churn\n    when: {sql: \"SELECT count(spec) >= 0 AS breach FROM orchestrator.experiment\"}\n"
                + "    experiment: " + PolicyFiles.inlineExperiment("churn") + "\n"
                + "  - name: metrics\n    model: churn\n    when: {sql: \"SELECT count(*) > 0 AS breach FROM orchestrator.metric_value v"
                + " JOIN orchestrator.model m ON m.id = v.model_id JOIN orchestrator.experiment e ON e.model_id = m.id WHERE e.status = 'succeeded'\"}\n"
                + "    experiment: " + PolicyFiles.inlineExperiment("churn") + "\n");

        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("attack.yaml:4: policies[0].when: the predicate does not run: permission denied for table retrain_policy_version")
                .contains("attack.yaml:8: policies[1].when: the predicate does not run: permission denied for schema quartz")
                .contains("attack.yaml:12: policies[2].when: the predicate does not run: permission denied for function pg_read_file")
                .contains("attack.yaml:16: policies[3].when: the predicate does not run: permission denied for table experiment")
                .doesNotContain("policies[4]")
                .contains("(4 problems)");
    }

    @Test
    void withoutThePolicyConditionRoleCustomSqlIsRefusedNamingTheAdminCommand(PolicyBed bed) {
        try (TestDatabase bare = TestPostgres.get().newMigratedDatabase("no_roles")) {
            Path file = PolicyFiles.write(bed.dir(), "plain.yaml", file("plain", "churn", HARMLESS, null));

            Cli.Run run = Cli.run(bare.environment(Map.of()), "policies", "apply", file.toString());

            assertThat(run.status()).isEqualTo(ExitCode.USAGE);
            assertThat(run.err()).contains("plain.yaml:4: policies[0].when: custom SQL conditions run as the role "
                    + bare.name() + "_policy_sql, which does not exist; an administrator creates it with `orchestrator roles create`");
            int stored = bare.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.retrain_policy")
                    .mapTo(Integer.class).one());
            assertThat(stored).isZero();
        }
    }

    @Test
    void theNodesOwnRoleIsNotWhereConditionsRun(PolicyBed bed) {
        bed.history().model("churn").from(T0).values(0.5);
        bed.apply(file("who", "churn", "SELECT current_user = '" + bed.db.name() + "_policy_sql'"
                + " AND current_setting('transaction_read_only') = 'on' AS breach", null));

        assertThat(bed.evaluateAt(T0.plus(Duration.ofMinutes(1))).changes()).singleElement()
                .satisfies(c -> assertThat(c.to()).isEqualTo("firing"));
    }
}
