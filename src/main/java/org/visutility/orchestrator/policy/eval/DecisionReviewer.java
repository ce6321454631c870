package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.policy.spec.PolicySpec;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Re-checks decisions on today's values once snapshots they used were revised, one step of each
 * policy pass. It claims the next superseded revisions not yet reviewed (a bounded batch, SKIP
 * LOCKED, so two nodes split the queue), re-evaluates every decision that used one of them at the
 * decision's own instant on the current revisions, and records the verdict in
 * orchestrator.decision_review (once per state of the decision's evidence, whoever gets there
 * first), all in one transaction. The decision itself and its evidence are never changed.
 */
final class DecisionReviewer {
    private static final String CLAIM = SqlFiles.load(DecisionReviewer.class, "ClaimRevisedSnapshots");
    private static final String DECISIONS = SqlFiles.load(DecisionReviewer.class, "DecisionsToReview");
    private static final String INSERT = SqlFiles.load(DecisionReviewer.class, "InsertDecisionReviews");
    private static final String MARK = SqlFiles.load(DecisionReviewer.class, "MarkSnapshotsReviewed");
    private static final String LOAD_SPECS = SqlFiles.load(DecisionReviewer.class, "LoadSpecs");
    /** Superseded revisions taken per pass: bounds one pass's work; a larger backlog drains over the next passes. */
    static final int MAX_SNAPSHOTS_PER_PASS = 500;

    private final ConditionEvaluator conditions;
    private final Map<Long, PolicySpec> specs = new ConcurrentHashMap<>();

    DecisionReviewer(ConditionEvaluator conditions) {
        this.conditions = conditions;
    }

    private record Claimed(long id, Instant observedAt) {
    }

    private record Decision(long evaluationId, long policyVersionId, long modelId, String modelName, Instant evaluatedAt,
                            PolicyState to, String condition, List<Long> superseded, Instant revisedThrough) {
    }

    /** Reviews the next batch; returns how many reviews this pass recorded. */
    int pass(Handle handle, Instant at) {
        return handle.inTransaction(h -> {
            List<Claimed> claimed = h.createQuery(CLAIM).bind("limit", MAX_SNAPSHOTS_PER_PASS)
                    .map((rs, ctx) -> new Claimed(rs.getLong("id"), SqlValues.instant(rs, "observed_at"))).list();
            if (claimed.isEmpty()) return 0;
            List<Decision> decisions = h.createQuery(DECISIONS)
                    .bindArray("snapshot_ids", Long.class, claimed.stream().map(Claimed::id).toList())
                    .map((rs, ctx) -> new Decision(rs.getLong("evaluation_id"), rs.getLong("policy_version_id"), rs.getLong("model_id"),
                            rs.getString("model_name"), SqlValues.instant(rs, "evaluated_at"), PolicyState.of(rs.getString("to_state")),
                            rs.getString("condition"), SqlValues.longs(rs, "superseded_ids"), SqlValues.instant(rs, "revised_through")))
                    .list();
            int recorded = decisions.isEmpty() ? 0 : review(h, decisions, at);
            h.createUpdate(MARK).bind("at", SqlValues.utc(at))
                    .bindArray("ids", Long.class, claimed.stream().map(Claimed::id).toList())
                    .bindArray("observed", OffsetDateTime.class, claimed.stream().map(c -> SqlValues.utc(c.observedAt())).toList())
                    .execute();
            return recorded;
        });
    }

    private int review(Handle h, List<Decision> decisions, Instant at) {
        loadSpecs(h, decisions.stream().map(Decision::policyVersionId).distinct().toList());
        ConditionBatch batch = new ConditionBatch();
        List<Integer> slots = new ArrayList<>();
        for (Decision d : decisions) {
            slots.add(batch.add(specs.get(d.policyVersionId()), d.modelId(), d.modelName(), d.evaluatedAt(), null));
        }
        batch.evaluate(h, conditions);
        List<Long> ids = new ArrayList<>();
        List<Long> revisedUs = new ArrayList<>();
        List<Boolean> stillHolds = new ArrayList<>();
        List<Double> observedNow = new ArrayList<>();
        List<String> superseded = new ArrayList<>();
        List<String> judged = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            List<ConditionResult> now = batch.results(slots.get(i));
            ids.add(d.evaluationId());
            revisedUs.add(SqlValues.micros(d.revisedThrough()));
            stillHolds.add(stillHolds(d.to(), now));
            observedNow.add(deciding(d.condition(), now).observed());
            superseded.add(SqlValues.arrayLiteral(d.superseded()));
            LinkedHashSet<Long> read = new LinkedHashSet<>();
            now.forEach(r -> read.addAll(r.evidence()));
            judged.add(SqlValues.arrayLiteral(List.copyOf(read)));
            ObjectNode detail = Json.MAPPER.createObjectNode();
            ArrayNode cs = detail.putArray("conditions");
            now.forEach(r -> cs.add(r.toJson()));
            details.add(detail.toString());
        }
        return h.createQuery(INSERT)
                .bind("at", SqlValues.utc(at))
                .bindArray("evaluation_ids", Long.class, ids)
                .bindArray("revised_us", Long.class, revisedUs)
                .bindArray("still_holds", Boolean.class, stillHolds)
                .bindArray("observed_now", Double.class, observedNow)
                .bindArray("superseded", String.class, superseded)
                .bindArray("judged", String.class, judged)
                .bindArray("details", String.class, details)
                .mapTo(Long.class).list().size();
    }

    /**
     * Whether the step the decision recorded would still be taken on these results, as the state
     * machine takes it: into pending or firing when every condition breaches, into resolved when one
     * has recovered, into ok when not every condition breaches. Null when the verdict depends on a
     * condition whose evidence does not count now.
     */
    static Boolean stillHolds(PolicyState to, List<ConditionResult> now) {
        return switch (to) {
            case PENDING, FIRING -> everyBreaches(now);
            case RESOLVED -> {
                if (now.stream().anyMatch(ConditionResult::hasRecovered)) yield true;
                yield now.stream().anyMatch(r -> r.recovered() == null) ? null : false;
            }
            case OK -> {
                Boolean breach = everyBreaches(now);
                yield breach == null ? null : !breach;
            }
        };
    }

    private static Boolean everyBreaches(List<ConditionResult> now) {
        if (now.isEmpty() || now.stream().anyMatch(r -> Boolean.FALSE.equals(r.holds()))) return false;
        return now.stream().anyMatch(r -> r.holds() == null) ? null : true;
    }

    /** The condition the decision named (by its text), or the first. */
    private static ConditionResult deciding(String condition, List<ConditionResult> now) {
        for (ConditionResult r : now) {
            if (r.condition().describe().equals(condition)) return r;
        }
        return now.get(0);
    }

    private void loadSpecs(Handle h, List<Long> versionIds) {
        List<Long> missing = versionIds.stream().filter(id -> !specs.containsKey(id)).toList();
        if (missing.isEmpty()) return;
        h.createQuery(LOAD_SPECS).bindArray("ids", Long.class, missing)
                .map((rs, ctx) -> {
                    specs.put(rs.getLong("id"), parse(rs.getString("spec")));
                    return null;
                })
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
