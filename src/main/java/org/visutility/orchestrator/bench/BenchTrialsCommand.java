package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.Budget;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code orchestrator bench trials [--trials N] [--strategy NAME] [--repetitions R] [--proposals-only] [--json]}. */
@Command(name = "trials", mixinStandardHelpOptions = true, description = "Measure the tuning engine's cost per trial (every trial committed) against Optuna's.")
public final class BenchTrialsCommand implements Callable<Integer> {
    public static final int DEFAULT_TRIALS = 1000;
    private static final int MIN_TRIALS = 20;
    private static final int MAX_REPETITIONS = 20;

    @Mixin
    ConfigOption config;

    @Option(names = "--trials", defaultValue = "" + DEFAULT_TRIALS, description = "trials to run (default ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--strategy", defaultValue = "random", description = "the strategy that proposes the trials, with its default options (default ${DEFAULT-VALUE})")
    String strategy;

    @Option(names = "--repetitions", defaultValue = "" + Repetitions.MIN_REPETITIONS,
            description = "measured experiments after the warm-up one (default ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--proposals-only", description = "time the strategy's proposals alone, in-process (no engine, no database):"
            + " ms per proposal over trials 501-1000 and the last 500; needs --trials 2000 or more")
    boolean proposalsOnly;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (trials < MIN_TRIALS || trials > Budget.MAX_TRIALS) {
            throw new UsageException("--trials must be from " + MIN_TRIALS + " to " + Budget.MAX_TRIALS);
        }
        if (repetitions < Repetitions.MIN_REPETITIONS || repetitions > MAX_REPETITIONS) {
            throw new UsageException("--repetitions must be from " + Repetitions.MIN_REPETITIONS + " to " + MAX_REPETITIONS);
        }
        if (Strategies.all().find(strategy).isEmpty()) throw new UsageException("--strategy: " + Strategies.all().unknown(strategy));
        if (proposalsOnly) {
            if (trials < TrialsBenchmark.GROWTH_MIN_TRIALS) {
                throw new UsageException("--proposals-only needs --trials " + TrialsBenchmark.GROWTH_MIN_TRIALS + " or more (is " + trials + ")");
            }
            ProposalCost.Result r = ProposalCost.run(strategy, trials, repetitions);
            System.out.print(json.enabled() ? r.toJson() + "\n" : r.text());
            return ExitCode.OK;
        }
        OrchestratorConfig cfg = config.load();
        try (Database db = MigratedDatabase.open(cfg)) {
            TrialsBenchmark.Result r = TrialsBenchmark.run(db, cfg, trials, strategy, repetitions);
            System.out.print(json.enabled() ? r.toJson() + "\n" : r.text());
            return ExitCode.OK;
        }
    }
}
