package org.visutility.orchestrator.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code orchestrator bench <name>}: each capability adds its benchmark as a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: each prints its figures and the ratio against the baseline measured in the same run.",
        subcommands = {IngestBenchCommand.class, BenchTrialsCommand.class, BenchClusterCommand.class, PolicyBenchCommand.class, DriftBenchCommand.class, BenchSearchCommand.class, BenchPruningCommand.class, BenchWarmStartCommand.class, LineageBenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
