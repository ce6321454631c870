package org.visutility.orchestrator.experiment;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code orchestrator experiments submit|list|show|cancel}. */
@Command(name = "experiments", mixinStandardHelpOptions = true, description = "Submit tuning experiments and follow them.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {SubmitCommand.class, ListCommand.class, ShowCommand.class, CancelCommand.class})
public final class ExperimentsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: submit, list, show or cancel");
    }
}
