package org.visutility.orchestrator.node;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The modules of the node a command runs itself when no node serves (experiments submit --wait,
 * ops restart, ops recover). The program's wiring sets them at start, so that a capability low in
 * the house can start such a node without knowing every capability above it: the node must carry
 * every cluster-wide job, or its scheduler leaves the triggers it cannot fire in ERROR.
 */
public final class CommandNodeModules {
    private static volatile Supplier<List<Module>> modules;

    private CommandNodeModules() {
    }

    /** Set by the program's wiring before any command runs. */
    public static void use(Supplier<List<Module>> supplier) {
        modules = Objects.requireNonNull(supplier);
    }

    public static List<Module> get() {
        Supplier<List<Module>> m = modules;
        if (m == null) throw new IllegalStateException("no command-node modules were set (the program's wiring sets them at start)");
        return m.get();
    }
}
