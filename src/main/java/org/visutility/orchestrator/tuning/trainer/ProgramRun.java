package org.visutility.orchestrator.tuning.trainer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.Durations;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One run of a user's program outside the trainer protocol (a hook such as the promotion command),
 * started the way trainers are: the node's environment cut to {@link TrainerEnvironment}'s
 * allow-list (no {@code ORCHESTRATOR_*} setting or secret reaches it) plus the caller's variables,
 * leading its own session, dying with its node, its process tree killed at the timeout. It gets
 * {@code stdin} as its standard input; its stdout is read and dropped, its stderr kept as a bounded
 * tail: nothing it prints is held whole in this node's memory.
 */
public final class ProgramRun {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramRun.class);
    private static final long POLL_MS = 50;
    private static final long DRAIN_MS = 5_000;

    /** How it ended: its exit status, or why it has none (could not start, timed out). */
    public record Outcome(int exitStatus, String problem, String stderrTail) {
        public boolean succeeded() {
            return problem == null && exitStatus == 0;
        }

        /** "exit status 3; stderr (last lines): ..." or the problem, for a row's last_error. */
        public String describe() {
            String reason = problem != null ? problem : "exit status " + exitStatus;
            return stderrTail.isBlank() ? reason : reason + "; stderr (last lines):\n" + stderrTail;
        }
    }

    private ProgramRun() {
    }

    /**
     * Runs {@code argv} in {@code workdir} with {@code variables} (added to the allow-listed part of
     * the node's environment, with {@code tokenVariable} set to a value unique to this run, by
     * which its processes are found) and waits at most {@code timeout}.
     */
    public static Outcome run(List<String> argv, Path workdir, Map<String, String> variables, String tokenVariable,
                              byte[] stdin, Duration timeout) throws InterruptedException {
        return run(argv, workdir, variables, tokenVariable, stdin, timeout, System.getenv());
    }

    /** The same with the node's environment given (tests: a node with secrets in its environment). */
    public static Outcome run(List<String> argv, Path workdir, Map<String, String> variables, String tokenVariable,
                              byte[] stdin, Duration timeout, Map<String, String> nodeEnvironment) throws InterruptedException {
        String token = UUID.randomUUID().toString();
        Map<String, String> own = new LinkedHashMap<>(variables);
        own.put(tokenVariable, token);
        Map<String, String> env = TrainerEnvironment.of(nodeEnvironment, Map.of(), own);
        DiesWithItsNode.Start start = DiesWithItsNode.bind(argv, workdir, env.get("PATH"));
        if (start.problem() != null) return new Outcome(-1, "cannot start " + argv.get(0) + ": " + start.problem(), "");
        ProcessBuilder pb = new ProcessBuilder(OwnSession.wrap(start.argv(), workdir, env.get("PATH"))).directory(workdir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new Outcome(-1, "cannot start " + argv.get(0) + ": " + e.getMessage(), "");
        }
        ProcessTree tree = new ProcessTree(process, tokenVariable + "=" + token);
        OutputTail stderr = new OutputTail();
        LinePump out = LinePump.start(process.getInputStream(), OutputLimits.MAX_LINE_BYTES, Discard.INSTANCE, "program-stdout");
        LinePump err = LinePump.start(process.getErrorStream(), OutputLimits.MAX_STDERR_LINE_BYTES, stderr, "program-stderr");
        Thread feeder = feed(process.getOutputStream(), stdin);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean timedOut = false;
        try {
            while (!process.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                tree.remember();
                if (System.nanoTime() - deadline > 0) {
                    timedOut = true;
                    break;
                }
            }
        } catch (InterruptedException e) {
            tree.kill();
            out.finish();
            err.finish();
            throw e;
        }
        if (timedOut) {
            tree.kill();
            process.waitFor(DRAIN_MS, TimeUnit.MILLISECONDS);
        } else {
            tree.killLeftovers();
        }
        feeder.interrupt();
        out.finish();
        err.finish();
        if (!out.join(DRAIN_MS) || !err.join(DRAIN_MS)) LOG.warn("{}: its output readers did not end within {} ms", argv.get(0), DRAIN_MS);
        if (timedOut) {
            return new Outcome(-1, "timed out after " + Durations.format(timeout) + "; the process tree was killed", stderr.text());
        }
        return new Outcome(process.exitValue(), null, stderr.text());
    }

    /** Writes {@code bytes} to the program's stdin on a thread of its own (a program that does not read cannot block the caller), then closes it. */
    private static Thread feed(OutputStream stdin, byte[] bytes) {
        Thread t = new Thread(() -> {
            try (stdin) {
                stdin.write(bytes);
            } catch (IOException e) {
                LOG.debug("the program did not read all of its stdin: {}", e.getMessage());
            }
        }, "program-stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Stdout read to keep the pipe flowing, and dropped. */
    private enum Discard implements LinePump.Sink {
        INSTANCE;

        @Override
        public void line(String line) {
        }

        @Override
        public void tooLong(String start) {
        }
    }
}
