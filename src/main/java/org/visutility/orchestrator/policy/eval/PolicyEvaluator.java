package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.policy.notify.ExperimentQueued;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.policy.notify.StateChange;
import org.visutility.orchestrator.policy.notify.VerificationDecided;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation pass over every enabled policy, set-wise: first the post-deploy verifications
 * ({@link RetrainVerifier}: open those of newly active versions, decide those due), then load the targets, evaluate all their
 * conditions (one statement per condition kind),
 * step each (policy, model)'s state machine,
 * look up the guards of those firing (one statement), then write everything in one transaction
 * and tell the observers once it is committed. Last, it re-checks on today's values the decisions
 * whose evidence was revised since ({@link DecisionReviewer}).
 */
public final class PolicyEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEvaluator.class);
    private static final String GUARDS = SqlFiles.load(PolicyEvaluator.class, "ExperimentGuards");

    private final Jdbi jdbi;
    private final Clock clock;
    private final PolicyObserver observer;
    private final Runnable beforeWrite;
    private final TargetLoader targets = new TargetLoader();
    private final ConditionEvaluator conditions;
    private final EvaluationWriter writer = new EvaluationWriter();
    private final RetrainVerifier verifier = new RetrainVerifier();
    private final DecisionReviewer reviewer;
    private final DecisionReconciler reconciler = new DecisionReconciler();

    /**
     * What a pass did: how many (policy, model) it evaluated, how many state rows it wrote (those
     * with something new, less any that a racing evaluator wrote first), what changed and what it
     * enqueued, the verifications it decided and how many stay open, and how many decisions it
     * re-checked because their evidence was revised. {@code phaseMillis}: time spent verifying,
     * loading, evaluating conditions, deciding (state machines and guards), writing and reviewing.
     */
    public record PassResult(Instant at, int evaluated, int written, List<StateChange> changes, List<ExperimentQueued> experiments,
                             Map<String, Long> phaseMillis, List<VerificationDecided> verifications, long openVerifications,
                             int reviewed) {
    }

    /** @param sqlConditions where custom SQL conditions run (their own role, not the node's) */
    public PolicyEvaluator(Jdbi jdbi, ConditionPool sqlConditions, Clock clock, PolicyObserver observer) {
        this(jdbi, sqlConditions, clock, observer, () -> { });
    }

    /**
     * @param beforeWrite runs after the pass has decided and before it writes; tests use it to line
     *                    up racing evaluators at the worst moment.
     */
    public PolicyEvaluator(Jdbi jdbi, ConditionPool sqlConditions, Clock clock, PolicyObserver observer, Runnable beforeWrite) {
        this.jdbi = jdbi;
        this.conditions = new ConditionEvaluator(sqlConditions);
        this.reviewer = new DecisionReviewer(conditions);
        this.clock = clock;
        this.observer = observer;
        this.beforeWrite = beforeWrite;
    }

    public PassResult evaluateOnce() {
        Instant at = SqlValues.truncate(clock.instant());
        Map<String, Long> phases = new LinkedHashMap<>();
        EvaluationWriter.Written written;
        RetrainVerifier.Result verified;
        int evaluated;
        int reviewed;
        try (Handle handle = jdbi.open()) {
            long t = System.nanoTime();
            verified = verify(handle, at);
            t = lap(phases, "verify", t);
            TargetLoader.Targets loaded = targets.load(handle, at);
            evaluated = loaded.list().size();
            t = lap(phases, "load", t);
            List<Decision> decisions = decide(handle, loaded.list(), at, phases);
            beforeWrite.run();
            t = System.nanoTime();
            written = writer.write(handle, at, decisions);
            if (written.targetsVersion() != null) targets.afterWrite(loaded, written.targetsVersion(), written.claimed());
            t = lap(phases, "write", t);
            reviewed = review(handle, at);
            lap(phases, "review", t);
        }
        written.changes().forEach(observer::stateChanged);
        written.experiments().forEach(observer::experimentQueued);
        verified.decided().forEach(observer::verificationDecided);
        return new PassResult(at, evaluated, written.rows(), written.changes(), written.experiments(), phases, verified.decided(),
                verified.open(), reviewed);
    }

    /**
     * Re-checks the decisions whose evidence was revised since; returns how many reviews it recorded.
     * Also run on its own by tests and by a node that wants the reviews now rather than next pass.
     */
    public int reviewRevisedDecisions(Instant at) {
        try (Handle handle = jdbi.open()) {
            return reviewer.pass(handle, SqlValues.truncate(at));
        }
    }

    /**
     * Reconciles the decisions taken before labels with the realised metrics that landed since;
     * returns how many verdicts it recorded. Run by each pass, and on its own by tests.
     */
    public int reconcileDecisions(Instant at) {
        try (Handle handle = jdbi.open()) {
            return reconciler.pass(handle, SqlValues.truncate(at));
        }
    }

    /** The targets this evaluator keeps for its next pass (null: none), for tests. */
    TargetLoader.Targets keptTargets() {
        return targets.kept();
    }

    /** How many times its passes read their targets from the database rather than keeping them, for tests. */
    long targetReads() {
        return targets.reads();
    }

    /** A review that cannot run is logged and skipped: the decisions are made and written already. */
    private int review(Handle handle, Instant at) {
        int reviewed = 0;
        try {
            reviewed = reviewer.pass(handle, at);
        } catch (RuntimeException e) {
            LOG.error("Reviewing decisions whose evidence was revised failed in the policy pass at {} (tried again next pass): {}",
                    at, e.toString(), e);
        }
        try {
            reviewed += reconciler.pass(handle, at);
        } catch (RuntimeException e) {
            LOG.error("Reconciling decisions with realised metrics failed in the policy pass at {} (tried again next pass): {}",
                    at, e.toString(), e);
        }
        return reviewed;
    }

    /** A verification that cannot run is logged and skipped: it must not stop the policies' evaluation. */
    private RetrainVerifier.Result verify(Handle handle, Instant at) {
        try {
            return verifier.pass(handle, at);
        } catch (RuntimeException e) {
            LOG.error("Post-deploy verification failed in the policy pass at {} (the pass goes on; it is tried again next pass): {}",
                    at, e.toString(), e);
            return new RetrainVerifier.Result(0, List.of(), -1);
        }
    }

    private static long lap(Map<String, Long> phases, String phase, long since) {
        long now = System.nanoTime();
        phases.put(phase, (now - since) / 1_000_000);
        return now;
    }

    private List<Decision> decide(Handle handle, List<PolicyTarget> loaded, Instant at, Map<String, Long> phases) {
        long t = System.nanoTime();
        ConditionBatch batch = new ConditionBatch();
        int[] slots = new int[loaded.size()];
        for (int i = 0; i < slots.length; i++) {
            PolicyTarget target = loaded.get(i);
            slots[i] = batch.add(target.spec(), target.modelId(), target.modelName(), at);
        }
        batch.evaluate(handle, conditions);
        t = lap(phases, "conditions", t);

        List<Step> steps = new ArrayList<>(loaded.size());
        List<PolicyTarget> firing = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            PolicyTarget target = loaded.get(i);
            Step s = PolicyStateMachine.step(target.state(), target.since(), batch.results(slots[i]), at, target.spec().holdFor());
            steps.add(s);
            if (s.to() == PolicyState.FIRING) firing.add(target);
        }
        Map<EvaluationWriter.Pair, EnqueueGuard.Hold> blocked = guards(handle, firing, at);
        List<Decision> decisions = new ArrayList<>(loaded.size());
        for (int i = 0; i < loaded.size(); i++) {
            PolicyTarget target = loaded.get(i);
            Step s = steps.get(i);
            boolean isFiring = s.to() == PolicyState.FIRING;
            EnqueueGuard.Hold why = isFiring ? blocked.get(EvaluationWriter.Pair.of(target)) : null;
            decisions.add(new Decision(target, s, isFiring && why == null, why));
        }
        lap(phases, "decide", t);
        return decisions;
    }

    /** For the firing targets: what holds each back from enqueuing now (absent: it may). */
    private static Map<EvaluationWriter.Pair, EnqueueGuard.Hold> guards(Handle handle, List<PolicyTarget> firing, Instant at) {
        if (firing.isEmpty()) return Map.of();
        Map<EvaluationWriter.Pair, PolicyTarget> byPair = new HashMap<>();
        firing.forEach(t -> byPair.put(EvaluationWriter.Pair.of(t), t));
        Map<EvaluationWriter.Pair, EnqueueGuard.Hold> blocked = new HashMap<>();
        handle.createQuery(GUARDS)
                .bindArray("policy_ids", Long.class, firing.stream().map(PolicyTarget::policyId).toList())
                .bindArray("model_ids", Long.class, firing.stream().map(PolicyTarget::modelId).toList())
                .map((rs, ctx) -> {
                    EvaluationWriter.Pair p = new EvaluationWriter.Pair(rs.getLong("policy_id"), rs.getLong("model_id"));
                    EnqueueGuard.Hold why = EnqueueGuard.holdOf(SqlValues.longOrNull(rs, "open_experiment"),
                            SqlValues.longOrNull(rs, "verifying_experiment"), SqlValues.instant(rs, "verification_deadline"),
                            SqlValues.longOrNull(rs, "last_experiment"), SqlValues.instant(rs, "last_experiment_at"), at,
                            byPair.get(p).spec().cooldown());
                    if (why != null) blocked.put(p, why);
                    return null;
                })
                .forEach(x -> { });
        return blocked;
    }
}
