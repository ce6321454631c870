package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A model's metric timelines: per metric, its values grouped into series by (version, segment,
 * source), the thresholds its policies held it to over time, and the moments they went firing or
 * resolved. All of it drawn on one time window, so the charts of a model line up.
 */
final class TimelineReader {
    static final int DEFAULT_POINTS_PER_METRIC = 2000;
    static final int MAX_POINTS_PER_METRIC = 20000;
    /** Charts beyond this many metrics would not be read anyway. */
    static final int MAX_METRICS = 50;
    static final int MAX_MARKS = 1000;
    static final int MAX_POLICY_VERSIONS = 1000;

    private final ReadOnlyDatabase db;

    TimelineReader(ReadOnlyDatabase db) {
        this.db = db;
    }

    record Request(String model, Optional<String> metric, Optional<Instant> from, Optional<Instant> to, int pointsPerMetric) {
    }

    ObjectNode read(Request r) {
        RequestParams.ordered(r.from(), r.to());
        return db.read(h -> read(h, r));
    }

    private ObjectNode read(Handle h, Request r) {
        long modelId = ModelReader.modelId(h, r.model());
        List<String> metrics = ReadOnlyDatabase.query(h, "ModelMetrics").bind("model_id", modelId)
                .bind("limit", MAX_METRICS).mapTo(String.class).list();
        if (r.metric().isPresent()) {
            if (!metrics.contains(r.metric().get())) {
                throw ApiError.notFound("no metric '" + r.metric().get() + "' recorded for model '" + r.model() + "'");
            }
            metrics = List.of(r.metric().get());
        }

        Map<String, List<ObjectNode>> pointsByMetric = new LinkedHashMap<>();
        Instant first = null;
        Instant last = null;
        for (String metric : metrics) {
            List<ObjectNode> points = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "MetricPoints")
                    .bind("model_id", modelId).bind("metric", metric)
                    .bindByType("from", utc(r.from()), OffsetDateTime.class)
                    .bindByType("to", utc(r.to()), OffsetDateTime.class)
                    .bind("limit", r.pointsPerMetric()));
            pointsByMetric.put(metric, points);
            if (!points.isEmpty()) {
                first = min(first, instant(points.get(0), "observed_at"));
                last = max(last, instant(points.get(points.size() - 1), "observed_at"));
            }
        }

        Instant windowStart = r.from().orElse(first);
        List<ObjectNode> marks = windowStart == null ? List.of()
                : ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "PolicyMarks").bind("model_id", modelId)
                        .bindByType("from", utc(Optional.ofNullable(windowStart)), OffsetDateTime.class)
                        .bindByType("to", utc(r.to()), OffsetDateTime.class).bind("limit", MAX_MARKS));
        Instant windowEnd = r.to().orElse(marks.isEmpty() ? last : max(last, instant(marks.get(marks.size() - 1), "evaluated_at")));

        List<PolicyVersion> versions = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "PolicyVersions")
                .bind("model_id", modelId).bind("limit", MAX_POLICY_VERSIONS)).stream().map(PolicyVersion::of).toList();
        Map<Long, PolicyVersion> versionsById = versions.stream().collect(Collectors.toMap(PolicyVersion::id, v -> v));

        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", r.model());
        ObjectNode window = out.putObject("window");
        window.put("from", windowStart == null ? null : windowStart.toString());
        window.put("to", windowEnd == null ? null : windowEnd.toString());
        out.put("points_per_metric", r.pointsPerMetric());
        ArrayNode metricsOut = out.putArray("metrics");
        for (Map.Entry<String, List<ObjectNode>> e : pointsByMetric.entrySet()) {
            String metric = e.getKey();
            ObjectNode m = metricsOut.addObject();
            m.put("metric", metric);
            m.put("truncated", e.getValue().size() >= r.pointsPerMetric());
            m.set("series", series(e.getValue()));
            m.set("thresholds", thresholds(metric, versions, windowStart, windowEnd));
            ArrayNode metricMarks = m.putArray("marks");
            for (ObjectNode mark : marks) {
                PolicyVersion v = versionsById.get(mark.get("policy_version_id").asLong());
                if (v != null && v.metrics().contains(metric)) metricMarks.add(mark);
            }
        }
        out.set("state_changes", Json.MAPPER.valueToTree(marks));
        return out;
    }

    /** Points grouped by (version, segment, source) in order of first appearance, each named by what tells it apart. */
    static ArrayNode series(List<ObjectNode> points) {
        Map<List<String>, ArrayNode> grouped = new LinkedHashMap<>();
        for (ObjectNode p : points) {
            List<String> key = List.of(p.get("version").asText(), p.get("segment").asText(), p.get("source").asText());
            ArrayNode point = grouped.computeIfAbsent(key, k -> Json.MAPPER.createArrayNode()).addArray();
            point.add(p.get("observed_at")).add(p.get("value")).add(p.get("sample_count"));
        }
        boolean segmentsDiffer = grouped.keySet().stream().map(k -> k.get(1)).distinct().count() > 1;
        boolean sourcesDiffer = grouped.keySet().stream().map(k -> k.get(2)).distinct().count() > 1;
        ArrayNode out = Json.MAPPER.createArrayNode();
        grouped.forEach((key, data) -> {
            List<String> name = new ArrayList<>(List.of(key.get(0)));
            if (segmentsDiffer) name.add(key.get(1).isEmpty() ? "all segments" : key.get(1));
            if (sourcesDiffer) name.add(key.get(2).isEmpty() ? "unnamed source" : key.get(2));
            ObjectNode s = out.addObject();
            s.put("name", String.join(" · ", name));
            s.put("version", key.get(0));
            s.put("segment", key.get(1));
            s.put("source", key.get(2));
            s.set("points", data);
        });
        return out;
    }

    /**
     * Each policy version's thresholds on this metric, cut to the part of the window in which that
     * version was in force. A policy's first version is drawn from the window's start even when it
     * was applied later, so that the line is read against all the data on the chart (not a stub at
     * the right edge); {@code applied_at} says when it really began to be judged.
     */
    static ArrayNode thresholds(String metric, List<PolicyVersion> versions, Instant windowStart, Instant windowEnd) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (windowStart == null || windowEnd == null) return out;
        Map<String, Integer> firstVersion = new HashMap<>();
        versions.forEach(v -> firstVersion.merge(v.policy(), v.version(), Math::min));
        for (PolicyVersion v : versions) {
            boolean extend = firstVersion.get(v.policy()) == v.version() && !v.validFrom().isAfter(windowEnd);
            Instant from = extend ? windowStart : max(v.validFrom(), windowStart);
            Instant to = v.validTo() == null ? windowEnd : min(v.validTo(), windowEnd);
            if (from.isAfter(to)) continue;
            for (PolicyCondition c : v.conditions()) {
                if (!c.metric().equals(metric)) continue;
                ObjectNode t = c.toJson();
                t.put("policy", v.policy());
                t.put("policy_version", v.version());
                t.put("from", from.toString());
                t.put("to", to.toString());
                t.put("applied_at", v.validFrom().toString());
                out.add(t);
            }
        }
        return out;
    }

    /** A policy version, the conditions of its spec and when it was in force. */
    record PolicyVersion(long id, String policy, int version, List<PolicyCondition> conditions, Instant validFrom, Instant validTo) {
        static PolicyVersion of(ObjectNode row) {
            JsonNode to = row.get("valid_to");
            return new PolicyVersion(row.get("policy_version_id").asLong(), row.get("policy").asText(),
                    row.get("policy_version").asInt(), PolicyCondition.of(row.get("spec")), instant(row, "valid_from"),
                    to.isNull() ? null : Instant.parse(to.asText()));
        }

        Set<String> metrics() {
            return conditions.stream().map(PolicyCondition::metric).collect(Collectors.toSet());
        }
    }

    private static Instant instant(JsonNode row, String field) {
        return Instant.parse(row.get(field).asText());
    }

    private static OffsetDateTime utc(Optional<Instant> instant) {
        return instant.map(i -> i.atOffset(ZoneOffset.UTC)).orElse(null);
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
