package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pruning benchmark works end to end on a small budget (its figures are not asserted: benchmarks are commands, not tests). */
class BenchPruningCommandTest {
    @Test
    void benchPruningRunsEachRuleAndNoPruningOnTheSameSeeds() throws Exception {
        Cli.Run run = Cli.run(Map.of(), "bench", "pruning", "--trials", "6", "--seeds", "1", "--json",
                "--pruning", "{rule: asha, min_resource: 1, reduction_factor: 3, max_resource: 30}");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode result = Json.MAPPER.readTree(run.out());
        assertThat(result.get("rules")).extracting(r -> r.get("pruning").asText())
                .containsExactly("{rule: none}", "{rule: asha, min_resource: 1, reduction_factor: 3, max_resource: 30}");
        JsonNode none = result.get("rules").get(0);
        JsonNode asha = result.get("rules").get(1);
        assertThat(none.get("median_total_epochs").asDouble()).isPositive();
        // six trials are all within TPE's 8 random startup trials: both runs train the same params, and pruning only cuts epochs
        assertThat(asha.get("median_total_epochs").asDouble()).isLessThanOrEqualTo(none.get("median_total_epochs").asDouble());
        assertThat(asha.get("epochs_over_no_pruning").asDouble()).isLessThanOrEqualTo(1.0);
    }

    @Test
    void aPruningMappingThatIsNoValidRuleIsABadUsage() {
        Cli.Run run = Cli.run(Map.of(), "bench", "pruning", "--pruning", "{rule: asha, reduction_factor: 1}");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--pruning: pruning.reduction_factor: must be a whole number from 2 to 1000 (is 1)");
    }
}
