package org.visutility.orchestrator.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code orchestrator ops failed|restart|abandon|recover}: see failed runs and re-run them. */
@Command(name = "ops", mixinStandardHelpOptions = true, description = "See failed and orphaned runs; restart, abandon or recover them.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {FailedCommand.class, RestartCommand.class, AbandonCommand.class, RecoverCommand.class})
public final class OpsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: failed, restart, abandon or recover");
    }
}
