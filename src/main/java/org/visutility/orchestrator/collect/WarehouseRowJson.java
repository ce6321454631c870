package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.visutility.orchestrator.core.Json;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.temporal.TemporalAccessor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A warehouse row as bounded JSON (column label to value) for orchestrator.collector_rejects:
 * an operator sees what the query returned, but no row can fill the table with a huge value.
 */
final class WarehouseRowJson {
    /** The longest value kept; longer ones are cut. */
    static final int MAX_VALUE_CHARS = 500;
    /** The most columns kept; the rest are left out. */
    static final int MAX_COLUMNS = 64;

    /** The JSON text, and whether something was cut or left out. */
    record Bounded(String json, boolean truncated) {
    }

    private WarehouseRowJson() {
    }

    static Bounded of(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int columns = md.getColumnCount();
        boolean truncated = columns > MAX_COLUMNS;
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= Math.min(columns, MAX_COLUMNS); i++) {
            Object v = value(rs.getObject(i));
            if (v instanceof String s) {
                // jsonb refuses \u0000; a NUL is shown as the replacement character
                s = s.replace('\u0000', '\uFFFD');
                if (s.length() > MAX_VALUE_CHARS) {
                    s = s.substring(0, MAX_VALUE_CHARS) + "...";
                    truncated = true;
                }
                v = s;
            }
            row.putIfAbsent(md.getColumnLabel(i), v);
        }
        try {
            return new Bounded(Json.MAPPER.writeValueAsString(row), truncated);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a rejected row as JSON: " + e.getMessage(), e);
        }
    }

    /** JSON-friendly: numbers and booleans as such, times as ISO-8601 text, everything else as its text. */
    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean) return v;
        if (v instanceof Timestamp t) return t.toInstant().toString();
        if (v instanceof TemporalAccessor t) return t.toString();
        if (v instanceof byte[] b) return "(" + b.length + " bytes)";
        return v.toString();
    }
}
