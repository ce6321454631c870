package org.visutility.orchestrator.reference;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code orchestrator references set|show}: the reference distributions drift is measured against. */
@Command(name = "references", mixinStandardHelpOptions = true,
        description = "Set or show a model version's reference: a histogram per feature (the model's output as the feature prediction)"
                + " and, for a binary classifier, the calibration of its predicted probability.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {SetReferencesCommand.class, ShowReferencesCommand.class})
public final class ReferencesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: set or show");
    }
}
