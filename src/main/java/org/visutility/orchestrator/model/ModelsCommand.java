package org.visutility.orchestrator.model;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code orchestrator models list|show|register|promote|reject|rollback}: the version lifecycle by hand. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "See each model's versions and their history; promote, reject or roll back a version by hand.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ListModelsCommand.class, ShowModelCommand.class, RegisterCommand.class, PromoteCommand.class, RejectCommand.class,
                RollbackCommand.class})
public final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: list, show, register, promote, reject or rollback");
    }
}
