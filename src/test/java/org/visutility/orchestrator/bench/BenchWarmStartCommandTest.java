package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm start benchmark works end to end on a small budget (its figures are not asserted: benchmarks are commands, not tests). */
class BenchWarmStartCommandTest {
    @Test
    void benchWarmStartReportsEachSeedsCountOfTrialsWithinTheRoundsBudget() throws Exception {
        Cli.Run run = Cli.run(Map.of(), "bench", "warmstart", "--trials", "3", "--seeds", "1", "--rows", "80", "--json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode result = Json.MAPPER.readTree(run.out());
        assertThat(result.get("bench").asText()).isEqualTo("warmstart");
        assertThat(result.get("by_seed")).hasSize(1);
        JsonNode seed = result.get("by_seed").get(0);
        assertThat(seed.get("cold_best").asDouble()).isBetween(0.0, 1.0);
        assertThat(seed.get("cold_trials_to_own_best").asInt()).isBetween(1, 3);
        JsonNode reach = seed.get("warm_trials_to_cold_best");
        if (reach.isNull()) {
            assertThat(result.get("reached_seeds").asInt()).isZero();
            assertThat(seed.get("warm_best").asDouble()).isLessThan(seed.get("cold_best").asDouble());
        } else {
            assertThat(reach.asInt()).isBetween(1, 3);
            assertThat(result.get("median_over_cold_trials").asDouble()).isEqualTo(reach.asInt() / 3.0);
            assertThat(seed.get("warm_best").asDouble()).isGreaterThanOrEqualTo(seed.get("cold_best").asDouble());
        }
    }

    @Test
    void aRowCountBeyondTheShippedDigitsIsABadUsage() {
        Cli.Run run = Cli.run(Map.of(), "bench", "warmstart", "--rows", "5000");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--rows must be from 40 to 1797");
    }
}
