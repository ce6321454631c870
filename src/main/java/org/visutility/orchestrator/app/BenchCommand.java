package org.visutility.orchestrator.app;

import org.visutility.orchestrator.policy.bench.PolicyBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code orchestrator bench ingest|trials|policies}: benchmarks that print their figures and ratios. */
@Command(name = "bench", description = "Benchmarks: each prints its figures and the ratio against the baseline measured in the same run.",
        subcommands = {PolicyBenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: policies");
    }
}
