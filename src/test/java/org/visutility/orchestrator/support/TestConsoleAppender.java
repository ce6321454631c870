package org.visutility.orchestrator.support;

import ch.qos.logback.core.OutputStreamAppender;

import java.io.PrintStream;

/**
 * The tests' log appender: writes to the standard output the JVM had when logging started, not to
 * whatever {@code System.out} is at the moment of the event. {@link Cli} swaps {@code System.out} to
 * capture what a command prints; a log line from another test's leftover thread must not land in
 * that capture (a command's JSON output would then not parse).
 */
public final class TestConsoleAppender<E> extends OutputStreamAppender<E> {
    private static final PrintStream STARTUP_OUT = System.out;

    @Override
    public void start() {
        setOutputStream(STARTUP_OUT);
        super.start();
    }

    @Override
    protected void closeOutputStream() {
        // the JVM's standard output is not ours to close
    }
}
