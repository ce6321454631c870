package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.core.JsonOption;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code orchestrator bench search [--strategy NAME] [--option KEY=VALUE]... [--trials N] [--seeds N] [--json]}. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Measure search quality: median best value of random search and TPE (or --strategy) on a suite of float, int, log-scaled, categorical and noisy problems, against random search in the same run and Optuna's figures where measured.")
public final class BenchSearchCommand implements Callable<Integer> {
    private static final int MAX_TRIALS = 10_000;
    private static final int MAX_SEEDS = 1_000;

    @Option(names = "--strategy", description = "the strategy under test (default tpe); random search always runs as the reference")
    String strategy;

    @Option(names = "--option", paramLabel = "KEY=VALUE",
            description = "an option of the strategy under test (as in a spec's strategy mapping, e.g. multivariate=false, grid_size=8); repeatable; use with --strategy")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--trials", defaultValue = "" + SearchBenchmark.DEFAULT_TRIALS, description = "trials per run (default ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--seeds", defaultValue = "" + SearchBenchmark.DEFAULT_SEEDS, description = "runs (seeds 0..N-1) per strategy and function (default ${DEFAULT-VALUE})")
    int seeds;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (trials < 1 || trials > MAX_TRIALS) throw new UsageException("--trials must be from 1 to " + MAX_TRIALS);
        if (seeds < 1 || seeds > MAX_SEEDS) throw new UsageException("--seeds must be from 1 to " + MAX_SEEDS);
        if (strategy != null && Strategies.all().find(strategy).isEmpty()) {
            throw new UsageException("--strategy: " + Strategies.all().unknown(strategy));
        }
        List<String> strategies = strategy == null ? SearchBenchmark.DEFAULT_STRATEGIES : List.of(strategy);
        ObjectNode strategyOptions = Json.MAPPER.createObjectNode();
        options.forEach((key, value) -> strategyOptions.set(key, scalar(key, value)));
        SearchBenchmark.Result r;
        try {
            r = SearchBenchmark.run(strategies, strategyOptions, trials, seeds);
        } catch (SearchBenchmark.InvalidOptionsException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.print(json.enabled() ? r.toJson() + "\n" : r.text());
        return ExitCode.OK;
    }

    /** A value as YAML reads it: 8 is a number, false a boolean, neighbour a string. */
    private static JsonNode scalar(String key, String value) {
        try {
            JsonNode node = Json.YAML.readTree(value);
            if (node != null && node.isValueNode()) return node;
        } catch (IOException e) {
            // reported below
        }
        throw new UsageException("--option " + key + ": '" + value + "' is not a single value");
    }
}
