package org.visutility.orchestrator.tuning.trainer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts a trainer as the leader of a session and process group of its own, through util-linux
 * {@code setsid}, which calls setsid(2) and executes the program in place (a child of this JVM
 * never leads a process group, so setsid does not fork): same pid. Everything the trainer starts
 * is then in its group, and its session id is its pid, which {@link ProcessTree} kills by. Where
 * setsid is missing the trainer is started as it is and only its tree and its token reach it.
 */
final class OwnSession {
    private static final Logger LOG = LoggerFactory.getLogger(OwnSession.class);
    private static final Optional<String> SETSID = findSetsid();

    private OwnSession() {
    }

    /** {@code argv} started through setsid, when setsid is here and the program can be found (else as it is). */
    static List<String> wrap(List<String> argv, Path workdir, String searchPath) {
        if (SETSID.isEmpty()) return argv;
        Optional<Path> program = DiesWithItsNode.executable(argv.get(0), workdir, searchPath);
        if (program.isEmpty()) return argv; // ProcessBuilder says why it cannot start
        List<String> wrapped = new ArrayList<>(argv.size() + 1);
        wrapped.add(SETSID.get());
        wrapped.add(program.get().toString());
        wrapped.addAll(argv.subList(1, argv.size()));
        return wrapped;
    }

    /** setsid, if it is here and runs: tried once per process. */
    private static Optional<String> findSetsid() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return Optional.empty();
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (!Files.isExecutable(Path.of(candidate))) continue;
            try {
                Process probe = new ProcessBuilder(candidate, "true")
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
        LOG.warn("setsid is not available: a trainer's processes are killed through its process tree and its token only");
        return Optional.empty();
    }
}
