package org.visutility.orchestrator.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits, bounded, for something another thread or process does; fails naming what did not happen. */
public final class Await {
    private static final long POLL_MS = 20;

    private Await() {
    }

    public static void until(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        until(what, within, condition, () -> "");
    }

    /** {@code context} is added to the failure (e.g. a child node's log). */
    public static void until(String what, Duration within, BooleanSupplier condition, Supplier<String> context)
            throws InterruptedException {
        Instant end = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) throw new AssertionError("waited " + within + " for " + what + context.get());
            Thread.sleep(POLL_MS);
        }
    }

    /** A process is gone (SIGKILL is delivered asynchronously). */
    public static void processGone(long pid) throws InterruptedException {
        until("process " + pid + " to be gone", Duration.ofSeconds(10),
                () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }
}
