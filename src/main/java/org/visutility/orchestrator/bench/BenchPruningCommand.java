package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.experiment.InvalidSpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code orchestrator bench pruning [--pruning MAPPING]... [--trials N] [--seeds N] [--json]}. */
@Command(name = "pruning", mixinStandardHelpOptions = true,
        description = "Measure pruning rules: median best log loss and total epochs of TPE on the built-in logistic regression, against no pruning.")
public final class BenchPruningCommand implements Callable<Integer> {
    private static final int MAX_TRIALS = 1_000;
    private static final int MAX_SEEDS = 100;
    private static final int MAX_RULES = 20;
    private static final int MAX_MAPPING_LENGTH = 1_000;

    @Option(names = "--pruning", paramLabel = "MAPPING",
            description = "a spec's pruning mapping as YAML, e.g. '{rule: asha, max_resource: 30}'; repeatable (default: median, asha and hyperband)")
    List<String> rules = new ArrayList<>();

    @Option(names = "--trials", defaultValue = "" + PruningBenchmark.DEFAULT_TRIALS, description = "trials per run (default ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--seeds", defaultValue = "" + PruningBenchmark.DEFAULT_SEEDS, description = "runs (seeds 0..N-1) per rule (default ${DEFAULT-VALUE})")
    int seeds;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (trials < 1 || trials > MAX_TRIALS) throw new UsageException("--trials must be from 1 to " + MAX_TRIALS);
        if (seeds < 1 || seeds > MAX_SEEDS) throw new UsageException("--seeds must be from 1 to " + MAX_SEEDS);
        if (rules.size() > MAX_RULES) throw new UsageException("--pruning may be given at most " + MAX_RULES + " times");
        for (String rule : rules) {
            if (rule.length() > MAX_MAPPING_LENGTH) throw new UsageException("--pruning: a mapping of at most " + MAX_MAPPING_LENGTH + " characters");
        }
        PruningBenchmark.Result r;
        try {
            r = PruningBenchmark.run(rules.isEmpty() ? PruningBenchmark.DEFAULT_RULES : rules, trials, seeds);
        } catch (InvalidSpecException e) {
            throw new UsageException("--pruning: " + String.join("; ", e.violations()));
        }
        System.out.print(json.enabled() ? r.toJson() + "\n" : r.text());
        return ExitCode.OK;
    }
}
