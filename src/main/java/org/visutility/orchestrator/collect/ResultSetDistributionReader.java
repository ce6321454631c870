package org.visutility.orchestrator.collect;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the rows of a {@code returns: distributions} collector as histograms. The query returns the
 * columns model, version, observed_at, feature, kind and counts (an array), optionally segment and
 * source, edges (an array: numeric) and categories (an array: categorical), and optionally a
 * {@code watermark} (timestamptz) as snapshot collectors do. A query without a source column gets the
 * collector's name as source.
 */
final class ResultSetDistributionReader {
    private static final List<String> REQUIRED = List.of("model", "version", "observed_at", "feature", "kind", "counts");
    private static final List<String> KNOWN = List.of("model", "version", "observed_at", "segment", "source", "feature", "kind", "edges",
            "categories", "counts", ResultSetSnapshotReader.WATERMARK_COLUMN);
    private static final int ABSENT = -1;

    private final Map<String, Integer> columns = new HashMap<>();
    private final boolean observedAtHasZone;
    private final boolean observedAtIsLocal;
    private final String defaultSource;

    ResultSetDistributionReader(ResultSetMetaData md, String defaultSource) throws SQLException {
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String label = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
            if (!KNOWN.contains(label)) {
                throw new IllegalArgumentException("the query returns the column " + label + ", which a distributions collector does not"
                        + " know; it returns " + String.join(", ", KNOWN));
            }
            if (columns.putIfAbsent(label, i) != null) throw new IllegalArgumentException("the query returns the column " + label + " twice");
        }
        for (String r : REQUIRED) {
            if (!columns.containsKey(r)) {
                throw new IllegalArgumentException("the query returns no " + r + " column; a distributions collector returns model, version,"
                        + " observed_at, feature, kind, counts, edges (numeric) or categories (categorical), optionally segment and source");
            }
        }
        int observedAt = columns.get("observed_at");
        observedAtHasZone = ResultSetSnapshotReader.hasZone(md, observedAt);
        observedAtIsLocal = !observedAtHasZone && md.getColumnType(observedAt) == Types.TIMESTAMP;
        int watermark = column(ResultSetSnapshotReader.WATERMARK_COLUMN);
        if (watermark != ABSENT && !ResultSetSnapshotReader.hasZone(md, watermark)) {
            throw new IllegalArgumentException("the watermark column must be a timestamp with time zone (timestamptz)");
        }
        this.defaultSource = defaultSource;
    }

    private int column(String name) {
        return columns.getOrDefault(name, ABSENT);
    }

    RawDistribution read(ResultSet rs) throws SQLException {
        int segment = column("segment");
        int source = column("source");
        return new RawDistribution(rs.getObject(column("model")), rs.getObject(column("version")), observedAt(rs),
                segment == ABSENT ? "" : rs.getObject(segment), source == ABSENT ? defaultSource : rs.getObject(source),
                rs.getObject(column("feature")), rs.getObject(column("kind")), array(rs, column("edges")),
                array(rs, column("categories")), array(rs, column("counts")), List.of());
    }

    /** An array column as a List (a NULL, or an absent column, as null); a value that is not an array as itself, for the rules to name. */
    private static Object array(ResultSet rs, int column) throws SQLException {
        if (column == ABSENT) return null;
        Object v = rs.getObject(column);
        if (v == null) return null;
        if (!(v instanceof Array a)) return v;
        Object elements = a.getArray();
        return elements instanceof Object[] objects ? Arrays.asList(objects) : v;
    }

    private Object observedAt(ResultSet rs) throws SQLException {
        int c = column("observed_at");
        if (observedAtHasZone) return rs.getObject(c, OffsetDateTime.class);
        if (observedAtIsLocal) return rs.getObject(c, LocalDateTime.class);
        return rs.getObject(c);
    }

    /** How far this row counts: its watermark column, else its observed_at. */
    Instant watermark(ResultSet rs, Instant observedAt) throws SQLException {
        return declaredWatermark(rs).orElse(observedAt);
    }

    Optional<Instant> declaredWatermark(ResultSet rs) throws SQLException {
        int w = column(ResultSetSnapshotReader.WATERMARK_COLUMN);
        if (w == ABSENT) return Optional.empty();
        return Optional.ofNullable(rs.getObject(w, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
