package org.visutility.orchestrator.tuning.trainer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A trainer process and every process it started, even those that left its tree. The trainer
 * leads its own session and process group ({@link OwnSession}), whose ids are its pid, and carries the attempt's token in
 * its environment; killing reaches (1) every descendant seen while it ran or found now — children
 * are re-parented once their parent dies and can no longer be found from it — then (2) the
 * trainer, then (3) everything in its session or group and everything whose environment carries
 * the token ({@link ProcessScan}): a double fork with setsid leaves the tree, the group and the
 * session, but not the environment. The scan is repeated until it finds nothing, since a process
 * may fork while it is being killed.
 */
final class ProcessTree {
    /** Scans after a kill: enough for processes forking while they are killed. */
    private static final int MAX_ROUNDS = 5;

    private final ProcessHandle root;
    private final String marker;
    private final Set<ProcessHandle> known = new LinkedHashSet<>();

    /** @param marker the {@code NAME=value} entry of the trainer's environment unique to this attempt */
    ProcessTree(Process process, String marker) {
        this.root = process.toHandle();
        this.marker = marker;
    }

    /** Adds the processes the tree has now (call it while waiting). */
    synchronized void remember() {
        root.descendants().forEach(known::add);
    }

    /** SIGKILL to every process of the trainer's: its descendants first, then the trainer, then the strays. */
    synchronized void kill() {
        remember();
        List<ProcessHandle> all = new ArrayList<>(known);
        for (ProcessHandle p : known) p.descendants().forEach(all::add);
        destroy(all);
        root.destroyForcibly();
        killStrays();
    }

    /** After the trainer exited by itself: kill what it left behind, so that nothing holds its pipes or trains on. */
    synchronized void killLeftovers() {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle p : known) {
            if (p.isAlive()) {
                all.add(p);
                p.descendants().forEach(all::add);
            }
        }
        destroy(all);
        killStrays();
    }

    private void killStrays() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<ProcessHandle> strays = new ArrayList<>();
            // a session or group whose id is the trainer's pid was made by the trainer (setsid), so it is all the trainer's
            for (long pid : ProcessScan.members(root.pid(), marker)) ProcessHandle.of(pid).ifPresent(strays::add);
            strays.removeIf(p -> !p.isAlive());
            if (strays.isEmpty()) return;
            destroy(strays);
        }
    }

    private static void destroy(Collection<ProcessHandle> processes) {
        for (ProcessHandle p : processes) {
            if (p.isAlive()) p.destroyForcibly();
        }
    }
}
