package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import org.visutility.orchestrator.core.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads snapshots in their JSON form (an HTTP batch's items, a JSON Lines file's lines) into {@link RawSnapshot}s. */
public final class JsonSnapshotReader {
    /**
     * NaN and Infinity literals are read (many clients write them) so that validation can reject
     * them by name; a repeated key is an error rather than a silent last-one-wins.
     */
    static final ObjectReader READER = Json.MAPPER.reader()
            .with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonSnapshotReader() {
    }

    /** Parses JSON text; the exception's message says where it broke. */
    static JsonNode parse(byte[] bytes) throws IOException {
        return READER.readTree(bytes);
    }

    static JsonNode parse(String text) throws IOException {
        return READER.readTree(text);
    }

    /** The snapshot in a JSON value, or null (with a violation) when the value is not an object. */
    static RawSnapshot read(int position, JsonNode node, List<Violation> out) {
        if (node == null || !node.isObject()) {
            out.add(new Violation(position, "snapshot", "must be a JSON object, got " + SnapshotBatchValidator.describe(node)));
            return null;
        }
        List<String> unknown = new ArrayList<>(0);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!SnapshotBatchValidator.FIELDS.contains(f)) unknown.add(f);
        }
        return new RawSnapshot(value(node.get("model")), value(node.get("version")), value(node.get("observed_at")),
                value(node.get("sample_count")), value(node.get("segment")), value(node.get("source")),
                metricsOf(node.get("metrics")), finalFlag(node.get(SnapshotBatchValidator.FINAL_FIELD)), unknown);
    }

    static Object metricsOf(JsonNode node) {
        if (node == null || !node.isObject()) return value(node);
        Map<String, Object> metrics = new LinkedHashMap<>(node.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            metrics.put(e.getKey(), value(e.getValue()));
        }
        return metrics;
    }

    private static Object finalFlag(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isBoolean()) return v.booleanValue();
        return v; // a wrong type the validator names: in JSON, "true" as text is not a boolean
    }

    static Object value(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.textValue();
        if (v.isNumber()) return v.numberValue();
        return v; // a wrong type: the validator names it
    }

    /** The first line of a Jackson error, without the source excerpt it appends. */
    static String parseError(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getOriginalMessage() != null
                ? j.getOriginalMessage() : String.valueOf(e.getMessage());
        String where = "";
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
            where = " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)) + where;
    }
}
