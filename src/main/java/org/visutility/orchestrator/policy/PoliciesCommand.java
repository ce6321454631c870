package org.visutility.orchestrator.policy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code orchestrator policies apply|list|backtest}. */
@Command(name = "policies", description = "Retrain policies as code: apply a policy file, list policies and their state, backtest a file over stored history.",
        subcommands = {PoliciesApplyCommand.class, PoliciesListCommand.class, PoliciesBacktestCommand.class, CommandLine.HelpCommand.class})
public final class PoliciesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: apply, list or backtest");
    }
}
