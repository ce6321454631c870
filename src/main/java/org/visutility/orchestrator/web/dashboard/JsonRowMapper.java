package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.visutility.orchestrator.core.Json;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * Maps a row to a JSON object named by the query's column labels, so the .sql file defines the
 * API's field names: timestamptz becomes an ISO-8601 instant in UTC, jsonb stays JSON, arrays
 * become JSON arrays, SQL NULL becomes null.
 */
final class JsonRowMapper implements RowMapper<ObjectNode> {
    static final JsonRowMapper INSTANCE = new JsonRowMapper();

    @Override
    public ObjectNode map(ResultSet rs, StatementContext ctx) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        ObjectNode row = Json.MAPPER.createObjectNode();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            row.set(md.getColumnLabel(i), value(rs, i, md.getColumnTypeName(i)));
        }
        return row;
    }

    private static JsonNode value(ResultSet rs, int i, String type) throws SQLException {
        if (rs.getObject(i) == null) return Json.MAPPER.nullNode();
        return switch (type) {
            case "timestamptz" -> Json.MAPPER.getNodeFactory().textNode(rs.getObject(i, OffsetDateTime.class).toInstant().toString());
            case "json", "jsonb" -> parse(rs.getString(i));
            case "int2", "int4", "int8" -> Json.MAPPER.getNodeFactory().numberNode(rs.getLong(i));
            case "float4", "float8" -> Json.MAPPER.getNodeFactory().numberNode(rs.getDouble(i));
            case "numeric" -> Json.MAPPER.getNodeFactory().numberNode(rs.getBigDecimal(i).doubleValue());
            case "bool" -> Json.MAPPER.getNodeFactory().booleanNode(rs.getBoolean(i));
            default -> type.startsWith("_") ? array(rs.getArray(i)) : Json.MAPPER.getNodeFactory().textNode(rs.getString(i));
        };
    }

    private static JsonNode parse(String json) throws SQLException {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable JSON from the database: " + e.getOriginalMessage(), e);
        }
    }

    private static ArrayNode array(Array sqlArray) throws SQLException {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Object element : (Object[]) sqlArray.getArray()) {
            if (element == null) out.addNull();
            else if (element instanceof Long || element instanceof Integer || element instanceof Short)
                out.add(((Number) element).longValue());
            else if (element instanceof Double || element instanceof Float) out.add(((Number) element).doubleValue());
            else if (element instanceof BigDecimal d) out.add(d.doubleValue());
            else if (element instanceof Boolean b) out.add(b);
            else out.add(element.toString());
        }
        return out;
    }
}
