package org.visutility.orchestrator.app;

import picocli.CommandLine;

/**
 * Gives every command and subcommand {@code --help} (and {@code --version}), so that no command,
 * a new one included, answers "Unknown option: '--help'". Done once over the whole tree here
 * rather than remembered on each command's annotation.
 */
final class HelpEverywhere {
    private HelpEverywhere() {
    }

    static void addTo(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        if (!spec.mixinStandardHelpOptions() && spec.findOption("--help") == null) spec.mixinStandardHelpOptions(true);
        command.getSubcommands().values().forEach(HelpEverywhere::addTo);
    }
}
