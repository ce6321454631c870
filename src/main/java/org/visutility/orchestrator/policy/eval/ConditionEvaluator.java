package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.policy.spec.Condition;
import org.visutility.orchestrator.policy.spec.DriftCondition;
import org.visutility.orchestrator.policy.spec.DropCondition;
import org.visutility.orchestrator.policy.spec.EstimatedCondition;
import org.visutility.orchestrator.policy.spec.SqlCondition;
import org.visutility.orchestrator.policy.spec.StalenessCondition;
import org.visutility.orchestrator.policy.spec.ThresholdCondition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Evaluates many conditions at once: the inputs are grouped by kind and each kind runs its
 * statement over all of its inputs (in chunks of {@link #CHUNK} rows), never one query per model.
 */
public final class ConditionEvaluator {
    /** Rows per statement: large enough for a fleet in one go, small enough to bound one statement's memory. */
    static final int CHUNK = 50_000;
    /**
     * Inputs from which half of them go over a second connection: below, the second connection's
     * checkout and the thread hand-off cost more than the half a statement they save.
     */
    static final int PARALLEL_FROM = 4000;
    /** Runs the second connection's share of a pass: one at a time per pass, its threads die when idle. */
    private static final ExecutorService OTHER_CONNECTION = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "policy-conditions-second-connection");
        t.setDaemon(true);
        return t;
    });

    private final Map<Class<? extends Condition>, ConditionKind> kinds = new LinkedHashMap<>();

    /** @param sqlConditions where custom SQL conditions run (their own role, not the handle's) */
    public ConditionEvaluator(ConditionPool sqlConditions) {
        kinds.put(ThresholdCondition.class, new ThresholdKind());
        kinds.put(DropCondition.class, new DropKind());
        kinds.put(StalenessCondition.class, new StalenessKind());
        kinds.put(SqlCondition.class, new SqlPredicateKind(sqlConditions));
        kinds.put(DriftCondition.class, new DriftKind());
        kinds.put(EstimatedCondition.class, new EstimatedKind());
    }

    /** Results by input key; every input gets one. */
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs) {
        return evaluate(handle, inputs, null);
    }

    /**
     * Results by input key; every input gets one. With {@code second} (null: none) and at least
     * {@link #PARALLEL_FROM} inputs, the kinds that split without repeating work send half of
     * their inputs over a connection of {@code second}, evaluated meanwhile on another thread.
     */
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs, Jdbi second) {
        Map<Class<? extends Condition>, List<ConditionInput>> byKind = new HashMap<>();
        for (ConditionInput in : inputs) {
            byKind.computeIfAbsent(in.condition().getClass(), k -> new ArrayList<>()).add(in);
        }
        boolean parallel = second != null && inputs.size() >= PARALLEL_FROM;
        List<Share> here = new ArrayList<>();
        List<Share> there = new ArrayList<>();
        for (Map.Entry<Class<? extends Condition>, ConditionKind> kind : kinds.entrySet()) {
            List<ConditionInput> mine = byKind.getOrDefault(kind.getKey(), List.of());
            if (mine.isEmpty()) continue;
            if (parallel && kind.getValue().splits() && mine.size() > 1) {
                here.add(new Share(kind.getValue(), mine.subList(0, mine.size() / 2)));
                there.add(new Share(kind.getValue(), mine.subList(mine.size() / 2, mine.size())));
            } else {
                here.add(new Share(kind.getValue(), mine));
            }
        }
        if (there.isEmpty()) return run(handle, here, inputs.size());
        Future<Map<Integer, ConditionResult>> other = OTHER_CONNECTION.submit(() -> {
            try (Handle h = second.open()) {
                return run(h, there, inputs.size() / 2);
            }
        });
        Map<Integer, ConditionResult> out = run(handle, here, inputs.size());
        out.putAll(join(other));
        return out;
    }

    /** Some of one kind's inputs. */
    private record Share(ConditionKind kind, List<ConditionInput> inputs) {
    }

    private static Map<Integer, ConditionResult> run(Handle handle, List<Share> shares, int expected) {
        Map<Integer, ConditionResult> out = new HashMap<>(expected * 2);
        for (Share share : shares) {
            List<ConditionInput> mine = share.inputs();
            for (int from = 0; from < mine.size(); from += CHUNK) {
                out.putAll(share.kind().evaluate(handle, mine.subList(from, Math.min(mine.size(), from + CHUNK))));
            }
        }
        return out;
    }

    private static Map<Integer, ConditionResult> join(Future<Map<Integer, ConditionResult>> other) {
        try {
            return other.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the conditions' second connection was evaluating", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }
}
