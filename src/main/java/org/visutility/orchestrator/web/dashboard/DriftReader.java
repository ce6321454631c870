package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.visutility.orchestrator.core.Json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a model's production looked like before its labels arrived, for its page: each watched
 * feature's reference and newest production histogram on the same buckets with their scores and
 * the latest drift decision's verdict, the per-feature drift scores over time, the estimated (CBPE)
 * and realised metric on one time axis, and each decision taken before labels with its
 * reconciliation (confirmed, revised, pending). The features are those the model's drift policies
 * watch, or every feature with a reference when none does (or one watches all).
 */
final class DriftReader {
    static final Set<String> METRICS = Set.of("accuracy", "precision", "recall");
    static final String DEFAULT_METRIC = "accuracy";
    static final int DEFAULT_POINTS = 500;
    static final int MAX_POINTS = 5000;
    static final int DEFAULT_FEATURES = 20;
    static final int MAX_FEATURES = 200;
    static final int MAX_RECONCILIATIONS = 1000;
    /** The categorical bucket of production values the reference does not list (V270's comparison rule). */
    static final String OUTSIDE = "__outside__";

    private final ReadOnlyDatabase db;

    DriftReader(ReadOnlyDatabase db) {
        this.db = db;
    }

    /**
     * @param method   the score drawn over time; absent: the method of the model's first drift policy, else psi
     * @param metric   the metric estimated and realised (accuracy, precision, recall)
     * @param points   the newest points kept per series
     * @param features how many features' histograms at most (drifting first)
     */
    record Request(String model, Optional<Instant> from, Optional<Instant> to, Optional<String> method, String metric, int points,
                   int features) {
    }

    ObjectNode read(Request r) {
        RequestParams.ordered(r.from(), r.to());
        return db.read(h -> read(h, r));
    }

    private ObjectNode read(Handle h, Request r) {
        long modelId = ModelReader.modelId(h, r.model());
        List<DriftWatch> watches = new ArrayList<>();
        for (ObjectNode p : ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "ModelPolicies")
                .bind("model_id", modelId).bind("limit", ModelReader.MAX_POLICIES))) {
            watches.addAll(DriftWatch.of(p.path("policy").asText(), p.get("spec")));
        }
        String method = r.method().orElse(watches.isEmpty() ? DriftWatch.DEFAULT_METHOD : watches.get(0).method());
        Optional<List<String>> watched = DriftWatch.watched(watches);

        // one more than asked tells whether features were left out
        List<ObjectNode> rows = ReadOnlyDatabase.rows(window(ReadOnlyDatabase.query(h, "DriftFeatures"), r)
                .bindByType("watched", watched.map(l -> l.toArray(String[]::new)).orElse(null), String[].class)
                .bind("model_id", modelId)
                .bind("limit", r.features() + 1));
        boolean truncated = rows.size() > r.features();
        List<ObjectNode> features = new ArrayList<>();
        for (ObjectNode row : truncated ? rows.subList(0, r.features()) : rows) features.add(feature(row));
        String[] names = features.stream().map(f -> f.path("feature").asText()).toArray(String[]::new);

        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", r.model());
        ObjectNode window = out.putObject("window");
        window.put("from", r.from().map(Instant::toString).orElse(null));
        window.put("to", r.to().map(Instant::toString).orElse(null));
        out.put("method", method);
        out.put("metric", r.metric());
        out.put("points_per_series", r.points());
        ArrayNode watchList = out.putArray("watches");
        watches.forEach(w -> watchList.add(w.toJson()));
        out.put("features_truncated", truncated);
        out.set("features", Json.MAPPER.valueToTree(features));
        out.set("scores", Json.MAPPER.valueToTree(scoreSeries(ReadOnlyDatabase.rows(window(ReadOnlyDatabase.query(h, "DriftScorePoints"), r)
                .bind("model_id", modelId).bindByType("features", names, String[].class).bind("method", method)
                .bind("limit", r.points())))));
        ObjectNode accuracy = out.putObject("performance");
        accuracy.put("metric", r.metric());
        accuracy.set("estimated", points(ReadOnlyDatabase.rows(window(ReadOnlyDatabase.query(h, "EstimatedPoints"), r)
                .bind("model_id", modelId).bind("metric", r.metric()).bind("limit", r.points()))));
        accuracy.set("realised", points(ReadOnlyDatabase.rows(window(ReadOnlyDatabase.query(h, "RealisedPoints"), r)
                .bind("model_id", modelId).bind("metric", r.metric()).bind("limit", r.points()))));
        out.set("reconciliations", Json.MAPPER.valueToTree(ReadOnlyDatabase.rows(window(ReadOnlyDatabase.query(h, "Reconciliations"), r)
                .bind("model_id", modelId).bind("limit", MAX_RECONCILIATIONS))));
        return out;
    }

    /** A feature row as the page reads it: the shared buckets, the reference, the current window, its scores and verdict. */
    private static ObjectNode feature(ObjectNode row) {
        ObjectNode f = Json.MAPPER.createObjectNode();
        f.set("feature", row.get("feature"));
        f.set("version", row.get("version"));
        f.set("kind", row.get("kind"));
        f.set("edges", row.get("edges"));
        f.set("categories", row.get("categories"));
        if (row.path("reference_id").isNull()) {
            f.putNull("reference");
        } else {
            ObjectNode ref = f.putObject("reference");
            ref.set("id", row.get("reference_id"));
            ref.set("counts", row.get("reference_counts"));
            ref.set("sample_count", row.get("reference_samples"));
            ref.set("origin", row.get("reference_origin"));
            ref.set("set_at", row.get("reference_set_at"));
        }
        if (row.path("observed_at").isNull()) {
            f.putNull("current");
        } else {
            ObjectNode cur = f.putObject("current");
            cur.set("observed_at", row.get("observed_at"));
            cur.set("comparable", row.get("comparable"));
            cur.set("histograms", row.get("histograms"));
            cur.set("sample_count", row.get("sample_count"));
            if (row.path("comparable").asBoolean()) {
                cur.set("counts", row.get("counts"));
            } else {
                // not on the reference's buckets: the newest histogram as it came
                cur.set("edges", row.get("raw_edges"));
                cur.set("categories", row.get("raw_categories"));
                cur.set("counts", row.get("raw_counts"));
            }
        }
        ObjectNode scores = f.putObject("scores");
        for (String m : List.of("psi", "jensen_shannon", "wasserstein", "chi_square_p")) scores.set(m, row.get(m));
        f.set("drifting", row.get("drifted"));
        if (row.path("evidence_window_end").isNull()) {
            f.putNull("evidence");
        } else {
            ObjectNode e = f.putObject("evidence");
            e.set("policy", row.get("evidence_policy"));
            e.set("method", row.get("evidence_method"));
            e.set("score", row.get("evidence_score"));
            e.set("p_value", row.get("evidence_p_value"));
            e.set("window_end", row.get("evidence_window_end"));
            e.set("note", row.get("evidence_note"));
        }
        return f;
    }

    /** Score rows (ordered by feature, segment, time) as one series per feature and segment: points [time, score, samples, version]. */
    private static List<ObjectNode> scoreSeries(List<ObjectNode> rows) {
        Map<String, ObjectNode> series = new LinkedHashMap<>();
        for (ObjectNode row : rows) {
            String feature = row.path("feature").asText();
            String segment = row.path("segment").asText();
            String name = segment.isEmpty() ? feature : feature + " · " + segment;
            ObjectNode s = series.computeIfAbsent(name, n -> {
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("name", n);
                o.put("feature", feature);
                o.put("segment", segment);
                o.putArray("points");
                return o;
            });
            ArrayNode p = ((ArrayNode) s.get("points")).addArray();
            p.add(row.get("observed_at")).add(row.get("score")).add(row.get("sample_count")).add(row.get("version"));
        }
        return new ArrayList<>(series.values());
    }

    /** Rows of (observed_at, value, sample_count) as points [time, value, samples]. */
    private static ArrayNode points(List<ObjectNode> rows) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode row : rows) out.addArray().add(row.get("observed_at")).add(row.get("value")).add(row.get("sample_count"));
        return out;
    }

    private static Query window(Query q, Request r) {
        return q.bindByType("from", utc(r.from()), OffsetDateTime.class).bindByType("to", utc(r.to()), OffsetDateTime.class);
    }

    private static OffsetDateTime utc(Optional<Instant> instant) {
        return instant.map(i -> i.atOffset(ZoneOffset.UTC)).orElse(null);
    }
}
