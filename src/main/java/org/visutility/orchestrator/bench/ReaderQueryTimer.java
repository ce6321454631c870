package org.visutility.orchestrator.bench;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.lineage.DocumentedQuestions.Question;
import org.visutility.orchestrator.store.SqlFiles;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times each documented question as the database's reader role (the connection takes the role, so only
 * its privileges apply) on two histories side by side: one unmeasured run on each, then
 * {@code repetitions} measured ones taken in turn (the smaller history first on even repetitions, the
 * full one first on odd ones), each executing the SQL as written and reading every row. Taken in turn,
 * a change in the machine's speed while the questions are timed (another tenant, the disk's cache)
 * reaches both histories alike instead of the one timed at that moment.
 */
final class ReaderQueryTimer {
    private static final String TAKE_ROLE = SqlFiles.load(ReaderQueryTimer.class, "BenchTakeRole");

    /** One question's times in milliseconds, and how many rows it returned. */
    record Timing(double medianMs, double minMs, double maxMs, int rows) {
    }

    /** Each question's timing on the smaller and on the full history, by title. */
    record SideBySide(Map<String, Timing> smaller, Map<String, Timing> full) {
    }

    private ReaderQueryTimer() {
    }

    /** {@code smallerReader}, {@code fullReader}: each database's reader role (roles are named by database). */
    static SideBySide time(Jdbi smaller, String smallerReader, Jdbi full, String fullReader, List<Question> questions, int repetitions) {
        Map<String, Timing> onSmaller = new LinkedHashMap<>();
        Map<String, Timing> onFull = new LinkedHashMap<>();
        try (ReaderSession a = ReaderSession.open(smaller, smallerReader); ReaderSession b = ReaderSession.open(full, fullReader);
             Statement small = a.handle().getConnection().createStatement(); Statement whole = b.handle().getConnection().createStatement()) {
            for (Question q : questions) {
                int smallRows = run(small, q.sql());
                int fullRows = run(whole, q.sql());
                double[] smallMs = new double[repetitions];
                double[] fullMs = new double[repetitions];
                for (int i = 0; i < repetitions; i++) {
                    if (i % 2 == 0) {
                        smallMs[i] = timed(small, q.sql());
                        fullMs[i] = timed(whole, q.sql());
                    } else {
                        fullMs[i] = timed(whole, q.sql());
                        smallMs[i] = timed(small, q.sql());
                    }
                }
                onSmaller.put(q.title(), timing(smallMs, smallRows));
                onFull.put(q.title(), timing(fullMs, fullRows));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("a documented question failed as the reader role: " + e.getMessage(), e);
        }
        return new SideBySide(onSmaller, onFull);
    }

    /** A pooled connection that has taken the reader role, and gives it back when closed. */
    private record ReaderSession(Handle handle) implements AutoCloseable {
        static ReaderSession open(Jdbi jdbi, String readerRole) {
            Handle h = jdbi.open();
            try {
                h.createQuery(TAKE_ROLE).bind("role", readerRole).mapTo(String.class).one();
                h.execute("SET TIME ZONE 'UTC'");
                return new ReaderSession(h);
            } catch (RuntimeException e) {
                h.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                handle.execute("RESET ROLE");
            } finally {
                handle.close();
            }
        }
    }

    private static double timed(Statement st, String sql) throws SQLException {
        long t = System.nanoTime();
        run(st, sql);
        return (System.nanoTime() - t) / 1e6;
    }

    private static Timing timing(double[] ms, int rows) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Timing(median, sorted[0], sorted[n - 1], rows);
    }

    private static int run(Statement st, String sql) throws SQLException {
        int rows = 0;
        try (ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int c = 1; c <= columns; c++) rs.getString(c);
                rows++;
            }
        }
        return rows;
    }
}
