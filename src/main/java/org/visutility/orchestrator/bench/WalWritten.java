package org.visutility.orchestrator.bench;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.visutility.orchestrator.store.SqlFiles;

import java.util.function.Supplier;

/**
 * How many bytes of write-ahead log a stretch of work made the server write: what a durable commit
 * has to flush, so it tells a trial's writes from the floor's one row on any machine. The server's
 * whole log is counted, so it is the work's own only while nothing else writes.
 */
final class WalWritten {
    private static final String POSITION = SqlFiles.load(WalWritten.class, "WalPosition");
    private static final String SINCE = SqlFiles.load(WalWritten.class, "WalWrittenSince");

    private WalWritten() {
    }

    /**
     * Runs {@code work} and returns its result with the WAL bytes written meanwhile (NaN when this
     * role may not read the log's position).
     */
    static <T> Measured<T> during(Jdbi jdbi, Supplier<T> work) {
        String position = position(jdbi);
        T result = work.get();
        return new Measured<>(result, position == null ? Double.NaN : since(jdbi, position));
    }

    record Measured<T>(T result, double bytes) {
    }

    private static String position(Jdbi jdbi) {
        try {
            return jdbi.withHandle(h -> h.createQuery(POSITION).mapTo(String.class).one());
        } catch (JdbiException e) {
            return null;
        }
    }

    private static double since(Jdbi jdbi, String position) {
        return jdbi.withHandle(h -> h.createQuery(SINCE).bind("position", position).mapTo(Double.class).one());
    }
}
