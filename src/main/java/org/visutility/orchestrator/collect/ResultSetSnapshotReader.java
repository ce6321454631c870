package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a SQL collector's result rows as snapshots. The query returns the columns model, version,
 * observed_at, sample_count, optionally segment and source, and the metrics either as one JSON
 * column {@code metrics} or as one column per metric (a NULL is no value). An optional
 * {@code watermark} column says how far a row counts for the next {@code :since}; without it,
 * observed_at does. An optional boolean {@code final} column says whether the row's window is final. A query without a source column gets the collector's name as source.
 */
final class ResultSetSnapshotReader {
    static final String METRICS_COLUMN = "metrics";
    static final String WATERMARK_COLUMN = "watermark";
    private static final List<String> REQUIRED = List.of("model", "version", "observed_at", "sample_count");
    private static final int ABSENT = -1;

    private final int model;
    private final int version;
    private final int observedAt;
    private final int sampleCount;
    private final int segment;
    private final int source;
    private final int metricsJson;
    private final int watermark;
    private final int finalColumn;
    private final boolean observedAtHasZone;
    private final boolean observedAtIsLocal;
    private final boolean watermarkHasZone;
    private final List<String> metricNames = new ArrayList<>();
    private final List<Integer> metricColumns = new ArrayList<>();
    private final String defaultSource;

    ResultSetSnapshotReader(ResultSetMetaData md, String defaultSource) throws SQLException {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String label = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
            if (columns.putIfAbsent(label, i) != null) {
                throw new IllegalArgumentException("the query returns the column " + label + " twice");
            }
        }
        for (String r : REQUIRED) {
            if (!columns.containsKey(r)) {
                throw new IllegalArgumentException("the query returns no " + r + " column; it must return model, version,"
                        + " observed_at, sample_count, optionally segment and source, and metrics (one JSON column or a column each)");
            }
        }
        model = columns.get("model");
        version = columns.get("version");
        observedAt = columns.get("observed_at");
        sampleCount = columns.get("sample_count");
        segment = columns.getOrDefault("segment", ABSENT);
        source = columns.getOrDefault("source", ABSENT);
        metricsJson = columns.getOrDefault(METRICS_COLUMN, ABSENT);
        watermark = columns.getOrDefault(WATERMARK_COLUMN, ABSENT);
        finalColumn = columns.getOrDefault(SnapshotBatchValidator.FINAL_FIELD, ABSENT);
        observedAtHasZone = hasZone(md, observedAt);
        observedAtIsLocal = !observedAtHasZone && md.getColumnType(observedAt) == Types.TIMESTAMP;
        watermarkHasZone = watermark != ABSENT && hasZone(md, watermark);
        if (watermark != ABSENT && !watermarkHasZone) {
            throw new IllegalArgumentException("the watermark column must be a timestamp with time zone (timestamptz)");
        }
        if (metricsJson == ABSENT) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String label = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
                if (!columns.get(label).equals(i) || REQUIRED.contains(label) || label.equals("segment") || label.equals("source")
                        || label.equals(WATERMARK_COLUMN) || label.equals(SnapshotBatchValidator.FINAL_FIELD)) continue;
                metricNames.add(md.getColumnLabel(i));
                metricColumns.add(i);
            }
        }
        this.defaultSource = defaultSource;
    }

    static boolean hasZone(ResultSetMetaData md, int column) throws SQLException {
        String type = String.valueOf(md.getColumnTypeName(column)).toLowerCase(Locale.ROOT);
        return md.getColumnType(column) == Types.TIMESTAMP_WITH_TIMEZONE || type.equals("timestamptz") || type.contains("with time zone");
    }

    RawSnapshot read(ResultSet rs) throws SQLException {
        return new RawSnapshot(rs.getObject(model), rs.getObject(version), observedAt(rs), rs.getObject(sampleCount),
                segment == ABSENT ? "" : rs.getObject(segment), source == ABSENT ? defaultSource : rs.getObject(source),
                metrics(rs), finalColumn == ABSENT ? null : rs.getObject(finalColumn), List.of());
    }

    private Object observedAt(ResultSet rs) throws SQLException {
        if (observedAtHasZone) return rs.getObject(observedAt, OffsetDateTime.class);
        if (observedAtIsLocal) return rs.getObject(observedAt, LocalDateTime.class);
        return rs.getObject(observedAt);
    }

    /** How far this row counts: its watermark column, else its observed_at (when valid). */
    Instant watermark(ResultSet rs, Snapshot snapshot) throws SQLException {
        if (watermark != ABSENT) {
            OffsetDateTime w = rs.getObject(watermark, OffsetDateTime.class);
            if (w != null) return w.toInstant();
        }
        return snapshot.observedAt();
    }

    /** A row's watermark column, when the query has one and the row a value there (read for rows that failed validation). */
    java.util.Optional<Instant> declaredWatermark(ResultSet rs) throws SQLException {
        if (watermark == ABSENT) return java.util.Optional.empty();
        return java.util.Optional.ofNullable(rs.getObject(watermark, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    private Object metrics(ResultSet rs) throws SQLException {
        if (metricsJson != ABSENT) {
            String json = rs.getString(metricsJson);
            if (json == null) return null;
            try {
                JsonNode node = JsonSnapshotReader.parse(json);
                return JsonSnapshotReader.metricsOf(node);
            } catch (IOException e) {
                return json; // rejected by validation as not an object
            }
        }
        Map<String, Object> metrics = new LinkedHashMap<>(metricNames.size() * 2);
        for (int i = 0; i < metricNames.size(); i++) {
            Object v = rs.getObject(metricColumns.get(i));
            if (v != null) metrics.put(metricNames.get(i), v);
        }
        return metrics;
    }
}
