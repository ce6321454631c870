package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

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
    }

    @Test
    void tooFewRepetitionsIsABadUsage() {
        Cli.Run run = Cli.run(Map.of(), "bench", "trials", "--repetitions", "2");
        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--repetitions must be from 3 to 20");
    }
}
