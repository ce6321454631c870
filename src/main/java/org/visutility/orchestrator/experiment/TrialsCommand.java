package org.visutility.orchestrator.experiment;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code orchestrator trials exclude|include EXPERIMENT NUMBER --reason TEXT}: trial quarantine. */
@Command(name = "trials", mixinStandardHelpOptions = true, description = "Exclude a trial from its experiment's results, or include it again.",
        synopsisSubcommandLabel = "COMMAND", subcommands = {ExcludeTrialCommand.class, IncludeTrialCommand.class})
public final class TrialsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: exclude or include");
    }
}
