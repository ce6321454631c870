package org.visutility.orchestrator.support;

import org.visutility.orchestrator.app.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs an orchestrator command line in this JVM and captures what it prints. */
public final class Cli {
    /** A finished command: its exit status and what it printed on stdout and stderr. */
    public record Run(int status, String out, String err) {
    }

    private Cli() {
    }

    public static synchronized Run run(Map<String, String> environment, String... args) {
        // logging starts before the swap, so its appender keeps the real stdout (TestConsoleAppender)
        org.slf4j.LoggerFactory.getILoggerFactory();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int status = Main.run(environment, args);
            return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
