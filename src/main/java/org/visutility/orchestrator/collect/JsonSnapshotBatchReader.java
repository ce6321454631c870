package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.visutility.orchestrator.core.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an HTTP snapshot batch {@code {"snapshots": [...]}} in one streaming pass, each item straight
 * into a {@link RawSnapshot}: no tree of the whole body (some 15 nodes per snapshot) is built first.
 * It takes the values exactly as {@link JsonSnapshotReader} takes them from a tree (the same parser
 * features: NaN literals, repeated keys refused), so that validation sees the same input. A body of
 * any other shape (not JSON, another envelope, text after it) is left to the tree reading, which
 * words those errors: this returns null for it.
 */
final class JsonSnapshotBatchReader {
    private static final String ITEMS = "snapshots";

    private JsonSnapshotBatchReader() {
    }

    /**
     * The batch's items in order: a {@link RawSnapshot} for each JSON object, the value itself (a
     * {@link JsonNode}) for any other item, which {@link JsonSnapshotReader#read} then rejects.
     *
     * @return null when the body is not exactly a valid batch envelope
     */
    static List<Object> read(byte[] body) {
        try (JsonParser p = JsonSnapshotReader.READER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            if (p.nextToken() != JsonToken.FIELD_NAME || !ITEMS.equals(p.currentName())) return null;
            if (p.nextToken() != JsonToken.START_ARRAY) return null;
            List<Object> items = new ArrayList<>(SnapshotBatchValidator.MAX_SNAPSHOTS_PER_BATCH);
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                items.add(t == JsonToken.START_OBJECT ? item(p) : tree(p));
            }
            if (p.nextToken() != JsonToken.END_OBJECT) return null; // another field beside the items
            if (p.nextToken() != null) return null; // text after the batch
            return items;
        } catch (IOException e) {
            return null; // not JSON: the tree reading says where
        }
    }

    /** One item object, the parser on its START_OBJECT; afterwards on its END_OBJECT. */
    private static RawSnapshot item(JsonParser p) throws IOException {
        Object model = null;
        Object version = null;
        Object observedAt = null;
        Object sampleCount = null;
        Object segment = null;
        Object source = null;
        Object metrics = null;
        Object finalFlag = null;
        List<String> unknown = new ArrayList<>(0);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "model" -> model = value(p, t);
                case "version" -> version = value(p, t);
                case "observed_at" -> observedAt = value(p, t);
                case "sample_count" -> sampleCount = value(p, t);
                case "segment" -> segment = value(p, t);
                case "source" -> source = value(p, t);
                case "metrics" -> metrics = metrics(p, t);
                case SnapshotBatchValidator.FINAL_FIELD -> finalFlag = finalFlag(p, t);
                default -> {
                    unknown.add(field);
                    p.skipChildren();
                }
            }
        }
        return new RawSnapshot(model, version, observedAt, sampleCount, segment, source, metrics, finalFlag, unknown);
    }

    /** As {@link JsonSnapshotReader#metricsOf}: an object's values by name, anything else as {@link #value}. */
    private static Object metrics(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) return value(p, t);
        Map<String, Object> metrics = new LinkedHashMap<>(8);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            metrics.put(name, value(p, p.nextToken()));
        }
        return metrics;
    }

    /** As {@link JsonSnapshotReader#value}: null, text, a number, or the value as a tree (a wrong type the validator names). */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            default -> tree(p);
        };
    }

    /** As JsonSnapshotReader's final flag: a boolean, null, or the value as a tree (the validator names its type). */
    private static Object finalFlag(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> tree(p);
        };
    }

    /** The value the parser is on, as the tree reading would hold it (a JSON null as a NullNode). */
    private static JsonNode tree(JsonParser p) throws IOException {
        JsonNode node = Json.MAPPER.readTree(p);
        return node == null ? NullNode.getInstance() : node;
    }
}
