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
    void benchSearchRunsTpeAndRandomSearchOnEveryProblemOfTheSuiteInProcess() throws Exception {
        Cli.Run run = Cli.run(Map.of(), "bench", "search", "--trials", "15", "--seeds", "3", "--json");
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode result = json(run);
        assertThat(result.get("in_process").asBoolean()).isTrue();
        assertThat(result.get("functions")).extracting(f -> f.get("function").asText()).containsExactly("branin", "hartmann6", "mixed", "rosenbrock_log4", "hartmann6_noisy");
        for (JsonNode f : result.get("functions")) {
            assertThat(f.get("median_best").has("random")).isTrue();
            assertThat(f.get("median_best").get("tpe").asDouble()).isGreaterThanOrEqualTo(f.get("minimum").asDouble() - 1e-6);
            assertThat(f.has("tpe_gap_over_random_gap")).isTrue();
        }
        assertThat(result.get("suite_mean_gap_over_random_gap").has("tpe")).isTrue();
        // random search is the reference of every run, with no options of the strategy under test
        Cli.Run tuned = Cli.run(Map.of(), "bench", "search", "--trials", "12", "--seeds", "2", "--strategy", "tpe",
                "--option", "gamma=0.1", "--json");
        assertThat(tuned.status()).as(tuned.err()).isZero();
        JsonNode t = json(tuned);
        assertThat(t.get("options").get("gamma").asDouble()).isEqualTo(0.1);
        assertThat(t.get("functions").get(0).get("median_best").has("random")).isTrue();
        // Optuna's figures are those of its default sampler: not printed against other options
        assertThat(t.get("functions").get(0).get("optuna_median_best").has("tpe")).isFalse();
        Cli.Run text = Cli.run(Map.of(), "bench", "search", "--trials", "5", "--seeds", "1", "--strategy", "grid", "--option", "grid_size=4");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("in-process", "branin", "hartmann6", "mixed", "rosenbrock_log4", "hartmann6_noisy", "grid", "random")
                .doesNotContain("tpe ");
    }

    /**
     * The report is one JSON line. System.out is swapped for the run's capture JVM-wide, so a log line
     * that a thread left over from an earlier test in this JVM writes meanwhile may land beside it.
     */
    private static JsonNode json(Cli.Run run) throws Exception {
        String line = run.out().lines().filter(l -> l.startsWith("{")).findFirst().orElse(run.out());
        return Json.MAPPER.readTree(line);
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
