package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.policy.spec.PolicySpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads what a pass evaluates: every enabled policy at its current version, with the state of
 * its (policy, model) (created as ok on first sight). Specs are immutable per version, so they
 * are parsed once and cached by version id.
 */
final class TargetLoader {
    private static final String ENSURE_STATES = SqlFiles.load(TargetLoader.class, "EnsureStates");
    private static final String LOAD_TARGETS = SqlFiles.load(TargetLoader.class, "LoadTargets");
    private static final String LOAD_SPECS = SqlFiles.load(TargetLoader.class, "LoadSpecs");

    private final Map<Long, PolicySpec> specs = new ConcurrentHashMap<>();

    private record Row(long policyId, String policyName, long versionId, int version, long modelId, String modelName,
                       PolicyState state, Instant since, long revision, Double lastObserved) {
    }

    List<PolicyTarget> load(Handle handle, Instant at) {
        handle.createUpdate(ENSURE_STATES).bind("at", SqlValues.utc(at)).execute();
        List<Row> rows = handle.createQuery(LOAD_TARGETS)
                .map((rs, ctx) -> new Row(rs.getLong("policy_id"), rs.getString("policy_name"), rs.getLong("version_id"),
                        rs.getInt("version"), rs.getLong("model_id"), rs.getString("model_name"),
                        PolicyState.of(rs.getString("state")), SqlValues.instant(rs, "since"), rs.getLong("revision"),
                        SqlValues.doubleOrNull(rs, "last_observed")))
                .list();
        List<Long> missing = rows.stream().map(Row::versionId).filter(id -> !specs.containsKey(id)).distinct().toList();
        if (!missing.isEmpty()) {
            handle.createQuery(LOAD_SPECS).bindArray("ids", Long.class, missing)
                    .map((rs, ctx) -> {
                        specs.put(rs.getLong("id"), parse(rs.getString("spec")));
                        return null;
                    })
                    .forEach(x -> { });
        }
        List<PolicyTarget> targets = new ArrayList<>(rows.size());
        for (Row r : rows) {
            targets.add(new PolicyTarget(r.policyId(), r.policyName(), r.versionId(), r.version(), r.modelId(), r.modelName(),
                    specs.get(r.versionId()), r.state(), r.since(), r.revision(), r.lastObserved()));
        }
        return targets;
    }

    private static PolicySpec parse(String json) {
        try {
            return PolicyFileParser.readStored(Json.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy spec is not JSON: " + e.getMessage(), e);
        }
    }
}
