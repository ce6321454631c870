package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The search benchmark works end to end on a small budget (its figures are not asserted: benchmarks are commands, not tests). */
class BenchSearchCommandTest {
    @Test
    void benchSearchRunsEachStrategyOnBothFunctionsInProcess() throws Exception {
        Cli.Run run = Cli.run(Map.of(), "bench", "search", "--trials", "15", "--seeds", "3", "--json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode result = Json.MAPPER.readTree(run.out());
        assertThat(result.get("in_process").asBoolean()).isTrue();
        assertThat(result.get("functions")).extracting(f -> f.get("function").asText()).containsExactly("branin", "hartmann6");
        for (JsonNode f : result.get("functions")) {
            assertThat(f.get("median_best").has("random")).isTrue();
            assertThat(f.get("median_best").get("tpe").asDouble()).isGreaterThanOrEqualTo(f.get("minimum").asDouble() - 1e-6);
            assertThat(f.has("tpe_gap_over_random_gap")).isTrue();
        }
        Cli.Run text = Cli.run(Map.of(), "bench", "search", "--trials", "5", "--seeds", "1", "--strategy", "grid", "--option", "grid_size=4");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("in-process", "branin", "hartmann6", "grid").doesNotContain("tpe ");
    }

    @Test
    void anUnknownStrategyIsABadUsage() {
        Cli.Run run = Cli.run(Map.of(), "bench", "search", "--strategy", "bohb");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--strategy: unknown strategy 'bohb'; known: grid, motpe, nsga2, random, tpe");
        Cli.Run badOption = Cli.run(Map.of(), "bench", "search", "--strategy", "tpe", "--option", "gamma=2");
        assertThat(badOption.status()).isEqualTo(2);
        assertThat(badOption.err()).contains("tpe: strategy.gamma: must be more than 0 and at most 1");
    }
}
