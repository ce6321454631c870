package org.visutility.orchestrator.model;

import org.visutility.orchestrator.core.UsageException;
import picocli.CommandLine.Option;

/** {@code --actor NAME}: who acts, recorded as {@code operator:NAME}; by default the OS user name. */
public final class OperatorOption {
    @Option(names = "--actor", paramLabel = "NAME",
            description = "who acts, recorded as operator:NAME (default: the OS user name; letters, digits and ._@+-)")
    String name;

    public boolean given() {
        return name != null;
    }

    public Actor actor() {
        if (name != null) return Actor.operator("--actor", name);
        String user = System.getProperty("user.name");
        try {
            return Actor.operator("the OS user name", user);
        } catch (UsageException e) {
            throw new UsageException(e.getMessage() + "; pass --actor NAME");
        }
    }
}
