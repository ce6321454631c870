package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads distribution items in their JSON form (an HTTP batch's items, a JSON Lines file's lines,
 * a references file's features) into {@link RawDistribution}s, with the snapshots' JSON parser.
 */
public final class JsonDistributionReader {
    private JsonDistributionReader() {
    }

    /** The item in a JSON value, or null (with a violation) when the value is not an object. */
    static RawDistribution read(int position, JsonNode node, List<Violation> out) {
        if (node == null || !node.isObject()) {
            out.add(new Violation(position, "distribution", "must be a JSON object, got " + SnapshotBatchValidator.describe(node)));
            return null;
        }
        List<String> unknown = new ArrayList<>(0);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!DistributionBatchValidator.FIELDS.contains(f)) unknown.add(f);
        }
        return new RawDistribution(JsonSnapshotReader.value(node.get("model")), JsonSnapshotReader.value(node.get("version")),
                JsonSnapshotReader.value(node.get("observed_at")), JsonSnapshotReader.value(node.get("segment")),
                JsonSnapshotReader.value(node.get("source")), JsonSnapshotReader.value(node.get("feature")),
                JsonSnapshotReader.value(node.get("kind")), plain(node.get("bins")), null, plain(node.get("counts")), unknown);
    }

    /**
     * Checks one histogram in JSON ({@code kind}, {@code bins}, {@code counts}), as a references
     * file or a trainer's report holds it; {@code prefix} names where it is (e.g. {@code features[2].}).
     */
    public static Histogram histogram(HistogramRules rules, String prefix, JsonNode node, List<Violation> out) {
        return rules.check(Violation.WHOLE_INPUT, prefix, JsonSnapshotReader.value(node.get("kind")), plain(node.get("bins")), null,
                plain(node.get("counts")), out);
    }

    /** Arrays as Lists and objects as (ordered) Maps of their plain values; scalars as the snapshots' reader gives them. */
    static Object plain(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isArray()) {
            List<Object> list = new ArrayList<>(v.size());
            for (JsonNode e : v) list.add(JsonSnapshotReader.value(e));
            return list;
        }
        if (v.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>(v.size() * 2);
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), JsonSnapshotReader.value(e.getValue()));
            }
            return map;
        }
        return JsonSnapshotReader.value(v);
    }
}
