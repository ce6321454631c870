package org.visutility.orchestrator.tuning.trainer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A trainer process and every process it started. The descendants are remembered while the
 * trainer runs, because once a parent dies its children are re-parented and can no longer be
 * found from it; killing then reaches grandchildren too.
 */
final class ProcessTree {
    private final ProcessHandle root;
    private final Set<ProcessHandle> known = new LinkedHashSet<>();

    ProcessTree(Process process) {
        this.root = process.toHandle();
    }

    /** Adds the processes the tree has now (call it while waiting). */
    synchronized void remember() {
        root.descendants().forEach(known::add);
    }

    /** SIGKILL to the root and to every process of the tree ever seen, and their descendants now. */
    synchronized void kill() {
        remember();
        root.destroyForcibly();
        List<ProcessHandle> all = new ArrayList<>(known);
        for (ProcessHandle p : known) p.descendants().forEach(all::add);
        destroy(all);
    }

    /** After the root exited normally: kill what it left behind, so that no orphan holds its pipes. */
    synchronized void killLeftovers() {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle p : known) {
            if (p.isAlive()) {
                all.add(p);
                p.descendants().forEach(all::add);
            }
        }
        destroy(all);
    }

    private static void destroy(Collection<ProcessHandle> processes) {
        for (ProcessHandle p : processes) {
            if (p.isAlive()) p.destroyForcibly();
        }
    }
}
