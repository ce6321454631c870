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
 * its privileges apply): one unmeasured run, then {@code repetitions} measured ones, each executing
 * the SQL as written and reading every row.
 */
final class ReaderQueryTimer {
    private static final String TAKE_ROLE = SqlFiles.load(ReaderQueryTimer.class, "BenchTakeRole");

    /** One question's times in milliseconds, and how many rows it returned. */
    record Timing(double medianMs, double minMs, double maxMs, int rows) {
    }

    private ReaderQueryTimer() {
    }

    static Map<String, Timing> time(Jdbi jdbi, String readerRole, List<Question> questions, int repetitions) {
        Map<String, Timing> out = new LinkedHashMap<>();
        try (Handle h = jdbi.open()) {
            h.createQuery(TAKE_ROLE).bind("role", readerRole).mapTo(String.class).one();
            h.execute("SET TIME ZONE 'UTC'");
            try (Statement st = h.getConnection().createStatement()) {
                for (Question q : questions) {
                    int rows = run(st, q.sql());
                    double[] ms = new double[repetitions];
                    for (int i = 0; i < repetitions; i++) {
                        long t = System.nanoTime();
                        run(st, q.sql());
                        ms[i] = (System.nanoTime() - t) / 1e6;
                    }
                    Arrays.sort(ms);
                    double median = repetitions % 2 == 1 ? ms[repetitions / 2] : (ms[repetitions / 2 - 1] + ms[repetitions / 2]) / 2;
                    out.put(q.title(), new Timing(median, ms[0], ms[repetitions - 1], rows));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("a documented question failed as the reader role: " + e.getMessage(), e);
            } finally {
                h.execute("RESET ROLE");
            }
        }
        return out;
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
