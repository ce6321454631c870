package org.visutility.orchestrator.app;

import picocli.CommandLine.Command;

@Command(name = "roles", description = "The database's own roles (the optional admin step).",
        subcommands = {RolesCreateCommand.class})
public final class RolesCommand {
}
