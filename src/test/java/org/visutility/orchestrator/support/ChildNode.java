package org.visutility.orchestrator.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An orchestrator command run in a child JVM on the test classpath, as a second node or a process
 * to kill: its output goes to a file, which tests read.
 */
public final class ChildNode implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving on port (\\d+)");

    private final Process process;
    private final Path log;

    private ChildNode(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildNode start(Map<String, String> environment, Path log, String... args) throws IOException {
        return start(List.of(), environment, log, args);
    }

    /** As {@link #start(Map, Path, String...)}, with more options for the child JVM (e.g. to start faster). */
    public static ChildNode start(List<String> jvmOptions, Map<String, String> environment, Path log, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.visutility.orchestrator.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ORCHESTRATOR_"));
        pb.environment().putAll(environment);
        return new ChildNode(pb.start(), log);
    }

    /** Waits until the node says it serves, and returns its HTTP port. */
    public int awaitServing(Duration timeout) throws IOException, InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            Matcher m = SERVING.matcher(output());
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!process.isAlive()) throw new IllegalStateException("node exited with " + process.exitValue() + ":\n" + output());
            Thread.sleep(100);
        }
        throw new IllegalStateException("node did not start in " + timeout + ":\n" + output());
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The output so far, or what kept it from being read (for failure messages). */
    public String outputOrError() {
        try {
            return output();
        } catch (IOException e) {
            return e.toString();
        }
    }

    public Process process() {
        return process;
    }

    /** SIGTERM, as an init system stops a service; returns the exit status. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("node did not stop within " + timeout);
        }
        return process.exitValue();
    }

    /** SIGKILL: the process dies with no chance to clean up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) process.destroyForcibly().waitFor();
    }
}
