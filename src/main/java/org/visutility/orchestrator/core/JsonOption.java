package org.visutility.orchestrator.core;

import picocli.CommandLine.Option;

/** The {@code --json} option of every command that prints a result: machine-readable output on stdout. */
public final class JsonOption {
    @Option(names = "--json", description = "machine-readable output (progress, if any, goes to stderr)")
    private boolean json;

    public boolean enabled() {
        return json;
    }
}
