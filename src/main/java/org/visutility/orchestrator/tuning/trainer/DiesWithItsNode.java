package org.visutility.orchestrator.tuning.trainer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes a trainer process die with the node that started it. A node killed with SIGKILL cannot
 * kill its trainers, and the run is taken over elsewhere, so a trainer left running would train
 * the same trial twice and keep writing to the dead node's trial folder. On Linux the program is
 * started through util-linux {@code setpriv --pdeathsig KILL}, which asks the kernel to send
 * SIGKILL when the starting thread (the trial's thread, which waits for the process) is gone, then
 * executes the program in place: same pid, same process tree. Processes the trainer itself starts
 * are not covered. Where setpriv is missing the program is started as it is.
 */
final class DiesWithItsNode {
    private static final Logger LOG = LoggerFactory.getLogger(DiesWithItsNode.class);
    private static final Optional<String> SETPRIV = findSetpriv();

    private DiesWithItsNode() {
    }

    /**
     * The command line that starts {@code argv} bound to this node, or why it cannot start.
     * {@code argv[0]} is looked up as ProcessBuilder would (a path with a slash against
     * {@code workdir}, a bare name on {@code searchPath}, the trainer's PATH), so that a missing program still fails
     * the trial with "cannot start" instead of a setpriv error.
     */
    static Start bind(List<String> argv, Path workdir, String searchPath) {
        if (SETPRIV.isEmpty()) return new Start(argv, null);
        Optional<Path> program = executable(argv.get(0), workdir, searchPath);
        if (program.isEmpty()) return new Start(argv, "no executable file by that name (in trainer.workdir or on PATH)");
        List<String> bound = new ArrayList<>(argv.size() + 4);
        bound.addAll(List.of(SETPRIV.get(), "--pdeathsig", "KILL", "--", program.get().toString()));
        bound.addAll(argv.subList(1, argv.size()));
        return new Start(bound, null);
    }

    /** A command line to start, or the reason there is none ({@code problem} non-null). */
    record Start(List<String> argv, String problem) {
    }

    /** The program {@code name} names: a path with a slash against {@code workdir}, a bare name on {@code searchPath} (a PATH). */
    static Optional<Path> executable(String name, Path workdir, String searchPath) {
        try {
            if (name.contains("/")) return runnable(workdir.resolve(name));
            if (searchPath == null) return Optional.empty();
            for (String folder : searchPath.split(File.pathSeparator)) {
                if (folder.isEmpty()) continue;
                Optional<Path> found = runnable(Path.of(folder).resolve(name));
                if (found.isPresent()) return found;
            }
            return Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> runnable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file) ? Optional.of(file.toAbsolutePath().normalize()) : Optional.empty();
    }

    /** setpriv, if it is here and takes --pdeathsig (util-linux 2.33 and later): tried once per process. */
    private static Optional<String> findSetpriv() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return Optional.empty();
        for (String candidate : List.of("/usr/bin/setpriv", "/bin/setpriv")) {
            if (!Files.isExecutable(Path.of(candidate))) continue;
            try {
                Process probe = new ProcessBuilder(candidate, "--pdeathsig", "KILL", "--", "true")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) return Optional.of(candidate);
                probe.destroyForcibly();
            } catch (IOException e) {
                LOG.debug("{} cannot run: {}", candidate, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        LOG.warn("setpriv --pdeathsig is not available: a trainer outlives a node killed with SIGKILL until it ends");
        return Optional.empty();
    }
}
