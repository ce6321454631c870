package org.visutility.orchestrator.policy;

import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.policy.eval.SqlPredicateCheck;
import org.visutility.orchestrator.policy.spec.CanonicalJson;
import org.visutility.orchestrator.policy.spec.EstimatedCondition;
import org.visutility.orchestrator.policy.spec.PolicyFile;
import org.visutility.orchestrator.policy.spec.PolicyFileException;
import org.visutility.orchestrator.policy.spec.PolicySpec;
import org.visutility.orchestrator.policy.spec.Problem;
import org.visutility.orchestrator.policy.spec.SqlCondition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a validated policy file in one transaction: a new policy is created at version 1, a
 * changed one gets a new version (old versions stay), an unchanged one is left alone, and a
 * policy last applied from this file that the file no longer holds is disabled. Custom SQL
 * predicates are tried first; a broken one rejects the whole file before anything is written.
 */
public final class PolicyApplier {
    private static final String FIND_MODEL = SqlFiles.load(PolicyApplier.class, "FindModel");
    private static final String REGISTER_MODEL = SqlFiles.load(PolicyApplier.class, "RegisterModel");
    private static final String FIND_POLICY = SqlFiles.load(PolicyApplier.class, "FindPolicyForUpdate");
    private static final String INSERT_POLICY = SqlFiles.load(PolicyApplier.class, "InsertPolicy");
    private static final String INSERT_VERSION = SqlFiles.load(PolicyApplier.class, "InsertPolicyVersion");
    private static final String UPDATE_POLICY = SqlFiles.load(PolicyApplier.class, "UpdatePolicy");
    private static final String SET_SOURCE = SqlFiles.load(PolicyApplier.class, "SetPolicySource");
    private static final String DISABLE_REMOVED = SqlFiles.load(PolicyApplier.class, "DisableRemovedPolicies");
    private static final String TAKE_TARGETS_VERSION = SqlFiles.load(PolicyApplier.class, "TakePolicyTargetsVersion");
    private static final String SERVING_CALIBRATION = SqlFiles.load(PolicyApplier.class, "ServingCalibration");
    /** Stands for "no such model" when a predicate is tried for a model not registered yet. */
    private static final long NO_MODEL = -1;

    public enum Action {
        CREATED, UPDATED, UNCHANGED, ENABLED, DISABLED;

        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What applying did to one policy; {@code previousVersion} is set when a new version replaced it. */
    public record Outcome(String policy, String model, Action action, int version, Integer previousVersion) {
    }

    private record Current(long id, long modelId, int version, boolean enabled, String sourceFile, String sha256, int maxVersion) {
    }

    private final Jdbi jdbi;
    private final SqlPredicateCheck predicates;

    /** @param sqlConditions where custom SQL predicates are tried, as evaluation runs them */
    public PolicyApplier(Jdbi jdbi, ConditionPool sqlConditions) {
        this.jdbi = jdbi;
        this.predicates = new SqlPredicateCheck(sqlConditions);
    }

    /** The outcomes as policies apply --json prints them: the source under {@code sourceKey}, then each policy. */
    public static com.fasterxml.jackson.databind.node.ObjectNode toJson(List<Outcome> outcomes, String sourceKey, String source) {
        com.fasterxml.jackson.databind.node.ObjectNode out = org.visutility.orchestrator.core.Json.MAPPER.createObjectNode();
        out.put(sourceKey, source);
        com.fasterxml.jackson.databind.node.ArrayNode list = out.putArray("policies");
        for (Outcome o : outcomes) {
            com.fasterxml.jackson.databind.node.ObjectNode n = list.addObject();
            n.put("name", o.policy());
            n.put("model", o.model());
            n.put("action", o.action().spelling());
            n.put("version", o.version());
            if (o.previousVersion() != null) n.put("previous_version", o.previousVersion());
        }
        return out;
    }

    /** Applies the file; {@code sourceFile} identifies it for disabling policies later removed from it. */
    public List<Outcome> apply(PolicyFile file, String sourceFile) {
        return apply(file, sourceFile, null);
    }

    /** As {@link #apply(PolicyFile, String)}, recording who applied each new version ({@code operator:NAME}; null: not known). */
    public List<Outcome> apply(PolicyFile file, String sourceFile, String appliedBy) {
        checkPredicates(file);
        return jdbi.inTransaction(h -> {
            h.createUpdate(TAKE_TARGETS_VERSION).execute(); // the first lock, as in every writer of policies and states
            List<Outcome> outcomes = new ArrayList<>();
            for (PolicySpec spec : file.specs()) outcomes.add(applyOne(h, spec, sourceFile, appliedBy));
            List<String> names = file.specs().stream().map(PolicySpec::name).toList();
            h.createQuery(DISABLE_REMOVED)
                    .bind("source_file", sourceFile)
                    .bindArray("names", String.class, names)
                    .map((rs, ctx) -> new Outcome(rs.getString("name"), rs.getString("model"), Action.DISABLED,
                            rs.getInt("current_version"), null))
                    .forEach(outcomes::add);
            return outcomes;
        });
    }

    private void checkPredicates(PolicyFile file) {
        List<Problem> problems = new ArrayList<>();
        try (Handle h = jdbi.open()) {
            for (PolicyFile.Entry e : file.entries()) {
                long modelId = h.createQuery(FIND_MODEL)
                        .bind("name", e.spec().model()).mapTo(Long.class).findOne().orElse(NO_MODEL);
                for (int i = 0; i < e.spec().conditions().size(); i++) {
                    if (e.spec().conditions().get(i) instanceof EstimatedCondition) {
                        final int at = i;
                        calibrationProblem(h, e.spec().model()).ifPresent(p -> problems.add(e.problemAtCondition(at, p)));
                        continue;
                    }
                    if (!(e.spec().conditions().get(i) instanceof SqlCondition c)) continue;
                    Optional<String> problem = predicates.problem(c, modelId, e.spec().model(), SqlValues.truncate(Instant.now()));
                    final int index = i;
                    problem.ifPresent(p -> problems.add(e.problemAtCondition(index, p)));
                }
            }
        }
        if (!problems.isEmpty()) throw new PolicyFileException(file.label(), problems);
    }

    /**
     * Why an estimated: condition cannot be trusted for the model, or empty: its serving version must
     * have a reference calibration with an error of at most {@link EstimatedCondition#MAX_CALIBRATION_ERROR}
     * and a threshold on one of its bin edges.
     */
    private static Optional<String> calibrationProblem(Handle h, String model) {
        List<Map<String, Object>> rows = h.createQuery(SERVING_CALIBRATION).bind("name", model).mapToMap().list();
        if (rows.isEmpty()) {
            return Optional.of("estimated: needs the model's serving version to have a reference calibration, but model '" + model
                    + "' has no active version");
        }
        Map<String, Object> serving = rows.get(0);
        String version = String.valueOf(serving.get("version"));
        if (serving.get("calibration_id") == null) {
            return Optional.of("estimated: model '" + model + "' version " + version + " (serving) has no reference calibration;"
                    + " set one with its reference distributions before estimating performance from its scores");
        }
        double error = ((Number) serving.get("calibration_error")).doubleValue();
        if (error > EstimatedCondition.MAX_CALIBRATION_ERROR) {
            return Optional.of("estimated: model '" + model + "' version " + version + " is badly calibrated (calibration_error "
                    + error + " > " + EstimatedCondition.MAX_CALIBRATION_ERROR + "): its predicted probabilities cannot estimate performance");
        }
        if (!Boolean.TRUE.equals(serving.get("threshold_on_edge"))) {
            return Optional.of("estimated: model '" + model + "' version " + version + "'s calibration threshold " + serving.get("threshold")
                    + " is not one of its bin edges, so a bin would straddle the decision threshold");
        }
        return Optional.empty();
    }

    private static Outcome applyOne(Handle h, PolicySpec spec, String sourceFile, String appliedBy) {
        long modelId = h.createQuery(REGISTER_MODEL).bind("name", spec.model()).mapTo(Long.class).one();
        String json = CanonicalJson.text(spec.toJson());
        String sha = spec.sha256();
        Optional<Long> created = h.createQuery(INSERT_POLICY)
                .bind("name", spec.name()).bind("model_id", modelId).bind("source_file", sourceFile)
                .mapTo(Long.class).findOne();
        if (created.isPresent()) {
            insertVersion(h, created.get(), 1, json, sha, appliedBy);
            return new Outcome(spec.name(), spec.model(), Action.CREATED, 1, null);
        }
        Current cur = h.createQuery(FIND_POLICY).bind("name", spec.name())
                .map((rs, ctx) -> new Current(rs.getLong("id"), rs.getLong("model_id"), rs.getInt("current_version"),
                        rs.getBoolean("enabled"), rs.getString("source_file"), rs.getString("spec_sha256"), rs.getInt("max_version")))
                .one();
        if (cur.sha256().equals(sha) && cur.modelId() == modelId) {
            if (!cur.enabled()) {
                update(h, cur.id(), cur.version(), modelId, sourceFile);
                return new Outcome(spec.name(), spec.model(), Action.ENABLED, cur.version(), null);
            }
            if (!Objects.equals(cur.sourceFile(), sourceFile)) {
                h.createUpdate(SET_SOURCE).bind("policy_id", cur.id()).bind("source_file", sourceFile).execute();
            }
            return new Outcome(spec.name(), spec.model(), Action.UNCHANGED, cur.version(), null);
        }
        int next = cur.maxVersion() + 1;
        insertVersion(h, cur.id(), next, json, sha, appliedBy);
        update(h, cur.id(), next, modelId, sourceFile);
        return new Outcome(spec.name(), spec.model(), Action.UPDATED, next, cur.version());
    }

    private static void insertVersion(Handle h, long policyId, int version, String json, String sha, String appliedBy) {
        h.createUpdate(INSERT_VERSION).bindMap(Map.of("policy_id", policyId, "version", version, "spec", json, "spec_sha256", sha))
                .bind("applied_by", appliedBy).execute();
    }

    private static void update(Handle h, long policyId, int version, long modelId, String sourceFile) {
        h.createUpdate(UPDATE_POLICY).bind("policy_id", policyId).bind("version", version).bind("model_id", modelId)
                .bind("source_file", sourceFile).execute();
    }
}
