package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The trials benchmark works end to end at its smallest size (its figures are not asserted: benchmarks are commands, not tests). */
@ExtendWith(PostgresExtension.class)
class BenchTrialsCommandTest {

    @Test
    void benchTrialsReportsTheWarmUpApartTheSpreadTheCommitBaselineAndWhereATrialsTimeGoes(TestDatabase db) throws Exception {
        Cli.Run run = Cli.run(db.environment(Map.of()), "bench", "trials", "--trials", "20", "--strategy", "tpe", "--json");

        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        // the engine's log lines share stdout in the tests; the result is the one JSON line
        JsonNode r = Json.MAPPER.readTree(run.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
        assertThat(r.get("strategy").asText()).isEqualTo("tpe");
        assertThat(r.get("trials").asInt()).isEqualTo(20);
        for (String figure : new String[]{"ms_per_trial", "baseline_durable_commit_ms", "ratio_to_commit"}) {
            assertThat(r.get(figure).get("repetitions")).as(figure).hasSize(Repetitions.MIN_REPETITIONS);
            assertThat(r.get(figure).has("warm_up")).as(figure).isTrue();
            assertThat(r.get(figure).get("min").asDouble()).as(figure)
                    .isLessThanOrEqualTo(r.get(figure).get("median").asDouble());
        }
        assertThat(r.get("machine").get("cores").asInt()).isPositive();
        assertThat(r.get("machine").get("durable_commit_ms").get("repetitions")).hasSize(Repetitions.MIN_REPETITIONS);
        JsonNode calls = r.get("per_trial").get("calls");
        assertThat(calls.get("commit").get("count").asDouble()).as("each trial commits").isGreaterThanOrEqualTo(1.0);
        assertThat(calls.has("with fence")).as("the unit's trial writes, one statement").isTrue();
        // a trial writes its outcome, the next trial, their attempts, the compute roll-up, the checkpoint and
        // the step's row: more log than the floor's one row, which writes some
        assertThat(r.get("per_trial").get("wal_bytes_of_the_floor_commit").asLong()).isPositive();
        assertThat(r.get("per_trial").get("wal_bytes").asLong())
                .isGreaterThan(r.get("per_trial").get("wal_bytes_of_the_floor_commit").asLong());
        // the rows alone, the engine's unit statement last: each wrote every row it names on each commit (the bench fails otherwise)
        JsonNode rows = r.get("rows_alone");
        for (String figure : new String[]{"floor_commit_ms", "trial_rows_ms", "trial_rows_ratio_to_commit", "with_checkpoint_ms",
                "with_checkpoint_ratio_to_commit", "unit_statement_ms", "unit_statement_ratio_to_commit"}) {
            assertThat(rows.get(figure).get("repetitions")).as(figure).hasSize(Repetitions.MIN_REPETITIONS);
            assertThat(rows.get(figure).get("min").asDouble()).as(figure).isPositive();
        }
        int scratchLeft = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_database WHERE datname LIKE '%bench_trial_rows'")
                .mapTo(Integer.class).one());
        assertThat(scratchLeft).as("its scratch database is dropped").isZero();
    }

    @Test
    void anOwnerWithoutCreateDbGetsTheBenchWithoutTheRowsAlone() throws Exception {
        TestPostgres server = TestPostgres.get();
        server.executeAsSuperuser("postgres", "CREATE ROLE owner_benches LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD 'owner-benches'");
        try (TestDatabase db = server.newEmptyDatabaseOwnedBy("owner_benches", "owner_benches", "owner-benches")) {
            Cli.Run run = Cli.run(db.environment(Map.of()), "bench", "trials", "--trials", "20");

            assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
            assertThat(run.out()).contains("per trial / commit:")
                    .contains("the rows alone: not measured (the role may not create the scratch database it needs)");
        }
    }

    @Test
    void tooFewRepetitionsIsABadUsage() {
        Cli.Run run = Cli.run(Map.of(), "bench", "trials", "--repetitions", "2");
        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--repetitions must be from 3 to 20");
    }
}
