package org.visutility.orchestrator.app;

import org.visutility.orchestrator.tuning.BenchTrialsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code orchestrator bench <name>}: benchmarks that print their figure and the baseline's. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures against the baseline.",
        synopsisSubcommandLabel = "NAME",
        subcommands = {BenchTrialsCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark name, e.g. bench trials");
    }
}
