package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.policy.spec.PolicySpec;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads what a pass evaluates: every enabled policy at its current version, with the state of
 * its (policy, model) (created as ok on first sight). A pass reads only numbers: a policy
 * version's spec and the policy's name, and a model's name, never change for their ids, so they
 * are read once and kept here.
 */
final class TargetLoader {
    private static final String ENSURE_STATES = SqlFiles.load(TargetLoader.class, "EnsureStates");
    private static final String LOAD_TARGETS = SqlFiles.load(TargetLoader.class, "LoadTargets");
    private static final String LOAD_VERSIONS = SqlFiles.load(TargetLoader.class, "LoadPolicyVersions");
    private static final String LOAD_MODEL_NAMES = SqlFiles.load(TargetLoader.class, "LoadModelNames");

    private record VersionKey(long policyId, int version) {
    }

    private record PolicyVersion(long versionId, String policyName, PolicySpec spec) {
    }

    private final Map<VersionKey, PolicyVersion> versions = new ConcurrentHashMap<>();
    private final Map<Long, String> modelNames = new ConcurrentHashMap<>();

    private record Row(long policyId, int version, long modelId, String state, long sinceUs, long revision, Double lastObserved) {
    }

    List<PolicyTarget> load(Handle handle, Instant at) {
        List<Row> rows = rows(handle);
        if (rows.stream().anyMatch(r -> r.state() == null)) {
            // a (policy, model) seen for the first time: its state row is created, then read
            handle.createUpdate(ENSURE_STATES).bind("at", SqlValues.utc(at)).execute();
            rows = rows(handle);
        }
        rows.sort(Comparator.comparingLong(Row::policyId));
        PolicyVersion[] version = new PolicyVersion[rows.size()];
        String[] modelName = new String[rows.size()];
        fillFromCache(handle, rows, version, modelName);
        List<PolicyTarget> targets = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            PolicyVersion v = version[i];
            if (v == null || r.state() == null) continue; // removed or disabled while this pass read: evaluated no more
            targets.add(new PolicyTarget(r.policyId(), v.policyName(), v.versionId(), r.version(), r.modelId(), modelName[i], v.spec(),
                    PolicyState.of(r.state()), Instant.EPOCH.plus(r.sinceUs(), ChronoUnit.MICROS), r.revision(), r.lastObserved()));
        }
        return targets;
    }

    /** Each row's version and model name from the caches, reading into them first whatever they lack. */
    private void fillFromCache(Handle handle, List<Row> rows, PolicyVersion[] version, String[] modelName) {
        List<Integer> lacking = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            version[i] = versions.get(new VersionKey(r.policyId(), r.version()));
            modelName[i] = modelNames.get(r.modelId());
            if (version[i] == null || modelName[i] == null) lacking.add(i);
        }
        if (lacking.isEmpty()) return;
        List<Row> missing = lacking.stream().map(rows::get).toList();
        cacheVersions(handle, missing);
        cacheModelNames(handle, missing);
        for (int i : lacking) {
            Row r = rows.get(i);
            version[i] = versions.get(new VersionKey(r.policyId(), r.version()));
            modelName[i] = modelNames.get(r.modelId());
        }
    }

    private static List<Row> rows(Handle handle) {
        return handle.createQuery(LOAD_TARGETS)
                // by position, in the statement's column order: a fleet's pass reads 100,000 rows, a name lookup per field counts
                .map((rs, ctx) -> {
                    double observed = rs.getDouble(7);
                    Double lastObserved = rs.wasNull() ? null : observed;
                    return new Row(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getLong(6), lastObserved);
                })
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    private void cacheVersions(Handle handle, List<Row> rows) {
        List<VersionKey> missing = rows.stream().map(r -> new VersionKey(r.policyId(), r.version()))
                .filter(k -> !versions.containsKey(k)).distinct().toList();
        if (missing.isEmpty()) return;
        handle.createQuery(LOAD_VERSIONS)
                .bindArray("policy_ids", Long.class, missing.stream().map(VersionKey::policyId).toList())
                .bindArray("versions", Integer.class, missing.stream().map(VersionKey::version).toList())
                .map((rs, ctx) -> versions.put(new VersionKey(rs.getLong("policy_id"), rs.getInt("version")),
                        new PolicyVersion(rs.getLong("id"), rs.getString("policy_name"), parse(rs.getString("spec")))))
                .forEach(x -> { });
    }

    private void cacheModelNames(Handle handle, List<Row> rows) {
        List<Long> missing = rows.stream().map(Row::modelId).filter(id -> !modelNames.containsKey(id)).distinct().toList();
        if (missing.isEmpty()) return;
        handle.createQuery(LOAD_MODEL_NAMES).bindArray("ids", Long.class, missing)
                .map((rs, ctx) -> modelNames.put(rs.getLong("id"), rs.getString("name")))
                .forEach(x -> { });
    }

    private static PolicySpec parse(String json) {
        try {
            return PolicyFileParser.readStored(Json.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy spec is not JSON: " + e.getMessage(), e);
        }
    }
}
