package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code orchestrator bench warmstart [--seeds N] [--trials N] [--rows N] [--json]}. */
@Command(name = "warmstart", mixinStandardHelpOptions = true,
        description = "Measure warm start across retrain rounds: trials a warm-started round 3 needs to reach the cold round 3's best,"
                + " on the built-in logistic regression over three shifted rounds of the digits data.")
public final class BenchWarmStartCommand implements Callable<Integer> {
    private static final int MAX_TRIALS = 500;
    private static final int MAX_SEEDS = 100;

    @Option(names = "--trials", defaultValue = "" + WarmStartBenchmark.DEFAULT_TRIALS, description = "trials per round (default ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--seeds", defaultValue = "" + WarmStartBenchmark.DEFAULT_SEEDS, description = "sequences of rounds (seeds 0..N-1) (default ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--rows", defaultValue = "" + WarmStartBenchmark.DEFAULT_ROWS, description = "digits rows each round subsamples (default ${DEFAULT-VALUE})")
    int rows;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (trials < 1 || trials > MAX_TRIALS) throw new UsageException("--trials must be from 1 to " + MAX_TRIALS);
        if (seeds < 1 || seeds > MAX_SEEDS) throw new UsageException("--seeds must be from 1 to " + MAX_SEEDS);
        if (rows < 40 || rows > RoundShift.DIGITS_ROWS) throw new UsageException("--rows must be from 40 to " + RoundShift.DIGITS_ROWS);
        WarmStartBenchmark.Result r = WarmStartBenchmark.run(trials, seeds, rows);
        System.out.print(json.enabled() ? r.toJson() + "\n" : r.text());
        return ExitCode.OK;
    }
}
