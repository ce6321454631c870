package org.visutility.orchestrator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the models commands read: each model's active version and counts, one model's versions and their events. */
public final class ModelReports {
    private static final String SUMMARIES = SqlFiles.load(ModelReports.class, "ModelSummaries");
    private static final String FIND_MODEL = SqlFiles.load(ModelReports.class, "FindModel");
    private static final String VERSIONS = SqlFiles.load(ModelReports.class, "ModelVersions");
    private static final String EVENTS = SqlFiles.load(ModelReports.class, "VersionEvents");
    private static final String GATES = SqlFiles.load(ModelReports.class, "GateVerdicts");

    /** One line of {@code models list}. */
    public record Summary(String model, Optional<String> activeVersion, Optional<Instant> activeSince, Map<VersionStatus, Long> counts) {
        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("model", model).put("active_version", activeVersion.orElse(null))
                    .put("active_since", activeSince.map(Instant::toString).orElse(null));
            ObjectNode c = n.putObject("versions");
            counts.forEach((s, count) -> c.put(s.sql(), count));
            return n;
        }
    }

    /** One model's versions (newest first, at most the limit) with their events, and how many versions it has. */
    public record History(String model, List<VersionRow> versions, Map<Long, List<Change>> events, Map<Long, GateVerdict> gates,
                          long total) {
        public Optional<VersionRow> active() {
            return versions.stream().filter(v -> v.status() == VersionStatus.ACTIVE).findFirst();
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("model", model)
                    .put("active_version", active().map(VersionRow::version).orElse(null)).put("versions_total", total);
            var list = n.putArray("versions");
            for (VersionRow v : versions) {
                ObjectNode o = v.toJson();
                var evs = o.putArray("events");
                events.getOrDefault(v.id(), List.of()).forEach(e -> evs.add(e.toJson()));
                GateVerdict g = gates.get(v.id());
                o.set("gate", g == null ? null : g.toJson());
                list.add(o);
            }
            return n;
        }
    }

    private ModelReports() {
    }

    public static List<Summary> list(Handle h, int limit) {
        return h.createQuery(SUMMARIES).bind("limit", limit).map((rs, ctx) -> {
            Map<VersionStatus, Long> counts = new LinkedHashMap<>();
            for (VersionStatus s : VersionStatus.values()) counts.put(s, rs.getLong(s.sql()));
            return new Summary(rs.getString("model"), Optional.ofNullable(rs.getString("active_version")),
                    Optional.ofNullable(SqlValues.instant(rs, "active_since")), counts);
        }).list();
    }

    /** The model's history, or empty when there is no such model. */
    public static Optional<History> history(Handle h, String model, int limit) {
        Optional<Long> id = h.createQuery(FIND_MODEL).bind("name", model).mapTo(Long.class).findOne();
        if (id.isEmpty()) return Optional.empty();
        long[] total = {0};
        List<VersionRow> versions = h.createQuery(VERSIONS).bind("model", id.get()).bind("limit", limit).map((rs, ctx) -> {
            total[0] = rs.getLong("total");
            return VersionRow.MAPPER.map(rs, ctx);
        }).list();
        Map<Long, VersionRow> byId = new LinkedHashMap<>();
        versions.forEach(v -> byId.put(v.id(), v));
        Map<Long, List<Change>> events = new LinkedHashMap<>();
        h.createQuery(EVENTS).bind("versions", SqlValues.arrayLiteral(new ArrayList<>(byId.keySet()))).map((rs, ctx) -> {
            VersionRow v = byId.get(rs.getLong("model_version_id"));
            String from = rs.getString("from_status");
            return new Change(rs.getLong("id"), v.id(), v.model(), v.version(), Optional.ofNullable(from).map(VersionStatus::of),
                    VersionStatus.of(rs.getString("to_status")), SqlValues.instant(rs, "at"), rs.getString("actor"),
                    rs.getString("reason"), json(rs.getString("evidence")));
        }).forEach(c -> events.computeIfAbsent(c.versionId(), k -> new ArrayList<>()).add(c));
        Map<Long, GateVerdict> gates = new LinkedHashMap<>();
        h.createQuery(GATES).bind("versions", SqlValues.arrayLiteral(new ArrayList<>(byId.keySet()))).map(GateVerdict.MAPPER)
                .forEach(g -> gates.put(g.versionId(), g));
        return Optional.of(new History(model, versions, events, gates, total[0]));
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model_version_event.evidence is not JSON: " + e.getMessage(), e);
        }
    }
}
