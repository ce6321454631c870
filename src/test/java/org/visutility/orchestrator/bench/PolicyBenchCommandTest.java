package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.support.Slow;
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

/** The benchmark command works end to end on a tiny fleet (its figures are not asserted: benchmarks are commands, not tests). */
@Slow
@ExtendWith(PostgresExtension.class)
class PolicyBenchCommandTest {

    @Test
    void benchPoliciesEvaluatesEveryGeneratedPolicyAtBothHistoryLengthsAndDropsItsScratchDatabase(TestDatabase db) throws Exception {
        Cli.Run run = Cli.run(db.environment(Map.of()), "bench", "policies", "--models", "30", "--snapshots", "8",
                "--history-factor", "3", "--json");

        assertThat(run.status()).isEqualTo(ExitCode.OK);
        JsonNode r = Json.MAPPER.readTree(run.out());
        assertThat(r.get("base").get("snapshots").asLong()).isEqualTo(30 * 8);
        assertThat(r.get("longer_history").get("snapshots").asLong()).isEqualTo(30 * 8 * 3);
        assertThat(r.get("base").get("policies_evaluated").asInt()).isEqualTo(30);
        assertThat(r.get("longer_history").get("policies_evaluated").asInt()).isEqualTo(30);
        assertThat(r.get("ratio").asDouble()).isPositive();
        boolean scratchLeft = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) > 0 FROM pg_database WHERE datname = 'orchestrator_bench_policies'").mapTo(Boolean.class).one());
        assertThat(scratchLeft).isFalse();
    }
}
