package org.visutility.orchestrator.store;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Conversions between Java and SQL values that hand-written row mappers and array binds need. */
public final class SqlValues {
    private SqlValues() {
    }

    /** An instant as epoch microseconds (PostgreSQL's precision), for binding in arrays. */
    public static long micros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    /** An instant cut to PostgreSQL's precision, so what we keep in memory equals what we store. */
    public static Instant truncate(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    public static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    public static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    public static List<Long> longs(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        List<Long> out = new ArrayList<>();
        if (a == null) return out;
        for (Object o : (Object[]) a.getArray()) {
            if (o != null) out.add(((Number) o).longValue());
        }
        return out;
    }

    /** A PostgreSQL array literal of ids ({@code {1,2,3}}), bound as text and cast in SQL. */
    public static String arrayLiteral(List<Long> ids) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) b.append(',');
            b.append(ids.get(i).longValue());
        }
        return b.append('}').toString();
    }
}
