package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.policy.spec.DriftCondition;
import org.visutility.orchestrator.policy.spec.EstimatedCondition;
import org.visutility.orchestrator.policy.spec.PolicySpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays policies over stored history: evaluates them at every step from {@code from} to
 * {@code to} exactly as a live pass would at that instant (same statements, same state machine),
 * and reports each state change and each experiment it would have enqueued. It writes nothing.
 *
 * <p>Each instant reads the values known then ({@link ValuesAsOf#KNOWN_AT}: each snapshot's revision
 * recorded by then, so the replay reproduces the decisions a live pass made, even after a revision)
 * or today's current values ({@link ValuesAsOf#NOW}: what the decisions would have been on the
 * revised numbers). History recorded after the instants it describes (a backfill) is not known at
 * them: replay it as now.
 *
 * <p>Experiments are simulated: one it would enqueue counts as finished at once, so the cooldown
 * runs from the moment it fired; stored experiments are not consulted except by staleness
 * conditions (which read the real retrain history).
 */
public final class Backtester {
    private static final String FIND_MODELS = SqlFiles.load(Backtester.class, "FindModels");
    private static final String RECORDED_LATER = SqlFiles.load(Backtester.class, "RecordedAfterRange");
    /** Snapshots recorded after the range are counted up to this many (the count is a hint, not a measure). */
    public static final long RECORDED_LATER_CAP = 100_000;
    /** Bounds one backtest's work (instants × policies); a longer replay needs a coarser step. */
    public static final long MAX_EVALUATIONS = 2_000_000;

    private final ConditionEvaluator conditions;

    public record Event(Instant at, String policy, String model, PolicyState from, PolicyState to, String condition,
                        Double observed, Double threshold, List<Long> evidence, boolean wouldEnqueue, String guard,
                        Realised realised) {
    }

    /** How the realised metric of a decision's window judged it: as lineage.decision_reconciliation's verdict. */
    public enum Verdict {
        CONFIRMED, REVISED, PENDING;

        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The realised check of a decision to fire taken on drift or estimated performance: the verdict, the
     * metric, side and line of the condition's {@code reconcile:} settings, the window (start exclusive;
     * it ends at the decision) and the realised value and samples over it (null while pending).
     */
    public record Realised(Verdict verdict, String metric, String direction, double line, Instant windowStart,
                           Double value, Long samples) {
    }

    /**
     * One policy's precision against realised metrics: of its replayed decisions to fire, how many the
     * realised metric confirmed, revised, or cannot judge yet; listed for each policy with a drift or
     * estimated condition that names a realised check.
     */
    public record Precision(String policy, String model, long confirmed, long revised, long pending) {
        /** confirmed / (confirmed + revised), or null (n/a) when no decision is judged yet. */
        public Double precision() {
            return confirmed + revised == 0 ? null : (double) confirmed / (confirmed + revised);
        }
    }

    /**
     * What a replay found; {@code recordedLater}: for a replay as known at each instant, how many
     * snapshots observed in the range were recorded only after it (up to {@link #RECORDED_LATER_CAP}),
     * which the replay could not see; 0 for a replay as now. {@code precision}: per policy with a realised
     * check, its decisions to fire judged on today's realised metrics (whatever {@code values}), as the
     * live reconciliation would judge them.
     */
    public record Report(List<Event> events, List<String> unknownModels, long instants, int policies, ValuesAsOf values,
                         long recordedLater, List<Precision> precision) {
    }

    private static final class Replay {
        final PolicySpec spec;
        final long modelId;
        PolicyState state = PolicyState.OK;
        Instant since;
        Instant lastEnqueue;
        final boolean realisedCheck;

        Replay(PolicySpec spec, long modelId, Instant start) {
            this.spec = spec;
            this.modelId = modelId;
            this.since = start;
            this.realisedCheck = spec.conditions().stream().anyMatch(c -> c instanceof EstimatedCondition
                    || c instanceof DriftCondition d && d.reconcile() != null);
        }
    }

    /** @param sqlConditions where custom SQL conditions run (their own role), as in a live pass */
    public Backtester(ConditionPool sqlConditions) {
        this.conditions = new ConditionEvaluator(sqlConditions);
    }

    public static long instants(Instant from, Instant to, Duration step) {
        return Duration.between(from, to).toNanos() / step.toNanos() + 1;
    }

    /** A replay on the values known at each instant, as the live passes read them. */
    public Report run(Handle handle, List<PolicySpec> specs, Instant from, Instant to, Duration step) {
        return run(handle, specs, from, to, step, ValuesAsOf.KNOWN_AT);
    }

    public Report run(Handle handle, List<PolicySpec> specs, Instant from, Instant to, Duration step, ValuesAsOf values) {
        if (to.isBefore(from)) throw new IllegalArgumentException("--to must not be before --from");
        if (step.isZero() || step.isNegative()) throw new IllegalArgumentException("--step must be longer than zero");
        Map<String, Long> models = new HashMap<>();
        handle.createQuery(FIND_MODELS)
                .bindArray("names", String.class, specs.stream().map(PolicySpec::model).distinct().toList())
                .map((rs, ctx) -> models.put(rs.getString("name"), rs.getLong("id")))
                .forEach(x -> { });
        List<Replay> replays = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Instant start = SqlValues.truncate(from);
        for (PolicySpec s : specs) {
            Long id = models.get(s.model());
            if (id == null) {
                if (!unknown.contains(s.model())) unknown.add(s.model());
            } else {
                replays.add(new Replay(s, id, start));
            }
        }
        long instants = instants(from, to, step);
        if (instants * Math.max(1, replays.size()) > MAX_EVALUATIONS) {
            throw new IllegalArgumentException(instants + " instants x " + replays.size() + " policies is more than "
                    + MAX_EVALUATIONS + " evaluations; choose a shorter range or a longer --step than " + Durations.format(step));
        }
        int conditionsPerInstant = Math.max(1, replays.stream().mapToInt(r -> r.spec.conditions().size()).sum());
        long instantsPerChunk = Math.max(1, ConditionEvaluator.CHUNK / conditionsPerInstant);
        List<Event> events = new ArrayList<>();
        List<Integer> firedAt = new ArrayList<>();
        List<RealisedVerdicts.Decided> fired = new ArrayList<>();
        for (long first = 0; first < instants && !replays.isEmpty(); first += instantsPerChunk) {
            long last = Math.min(instants, first + instantsPerChunk);
            ConditionBatch batch = new ConditionBatch();
            List<Instant> ats = new ArrayList<>();
            for (long i = first; i < last; i++) {
                Instant at = SqlValues.truncate(from.plus(step.multipliedBy(i)));
                ats.add(at);
                for (Replay r : replays) batch.add(r.spec, r.modelId, r.spec.model(), at, values.knownAt(at));
            }
            batch.evaluate(handle, conditions);
            int slot = 0;
            for (Instant at : ats) {
                for (Replay r : replays) advance(r, batch.results(slot++), at, events, firedAt, fired);
            }
        }
        long later = values == ValuesAsOf.KNOWN_AT && !replays.isEmpty()
                ? handle.createQuery(RECORDED_LATER)
                        .bindArray("model_ids", Long.class, replays.stream().map(r -> r.modelId).distinct().toList())
                        .bind("from", SqlValues.utc(start)).bind("to", SqlValues.utc(SqlValues.truncate(to)))
                        .bind("cap", RECORDED_LATER_CAP)
                        .mapTo(Long.class).one()
                : 0;
        List<Event> judged = judged(handle, events, firedAt, fired);
        return new Report(judged, unknown, instants, replays.size(), values, later,
                precision(replays, judged));
    }

    /** The events with each decision to fire's realised verdict added (one statement for all). */
    private static List<Event> judged(Handle handle, List<Event> events, List<Integer> firedAt, List<RealisedVerdicts.Decided> fired) {
        Map<Integer, Realised> verdicts = RealisedVerdicts.of(handle, fired);
        List<Event> out = new ArrayList<>(events);
        verdicts.forEach((i, v) -> {
            Event e = out.get(firedAt.get(i));
            out.set(firedAt.get(i), new Event(e.at(), e.policy(), e.model(), e.from(), e.to(), e.condition(), e.observed(),
                    e.threshold(), e.evidence(), e.wouldEnqueue(), e.guard(), v));
        });
        return out;
    }

    private static List<Precision> precision(List<Replay> replays, List<Event> judged) {
        List<Precision> out = new ArrayList<>();
        for (Replay r : replays) {
            if (!r.realisedCheck) continue;
            long[] counts = new long[Verdict.values().length];
            judged.stream().filter(e -> e.realised() != null && e.policy().equals(r.spec.name()) && e.model().equals(r.spec.model()))
                    .forEach(e -> counts[e.realised().verdict().ordinal()]++);
            out.add(new Precision(r.spec.name(), r.spec.model(), counts[Verdict.CONFIRMED.ordinal()],
                    counts[Verdict.REVISED.ordinal()], counts[Verdict.PENDING.ordinal()]));
        }
        return out;
    }

    private static void advance(Replay r, List<ConditionResult> results, Instant at, List<Event> events,
                                List<Integer> firedAt, List<RealisedVerdicts.Decided> fired) {
        Step s = PolicyStateMachine.step(r.state, r.since, results, at, r.spec.holdFor());
        boolean enqueue = false;
        String guard = null;
        if (s.to() == PolicyState.FIRING) {
            guard = EnqueueGuard.reasonNotTo(null, r.lastEnqueue, at, r.spec.cooldown());
            enqueue = guard == null;
            if (enqueue) r.lastEnqueue = at;
        }
        if (s.changed() || enqueue) {
            ConditionResult d = s.decidingResult();
            if (r.realisedCheck && s.to() == PolicyState.FIRING && s.from() != PolicyState.FIRING) {
                // the conditions as a live pass records them in policy_evaluation.detail, which the reconciliation reads
                com.fasterxml.jackson.databind.node.ArrayNode conditions = org.visutility.orchestrator.core.Json.MAPPER.createArrayNode();
                results.forEach(c -> conditions.add(c.toJson()));
                firedAt.add(events.size());
                fired.add(new RealisedVerdicts.Decided(r.modelId, conditions.toString(), at));
            }
            events.add(new Event(at, r.spec.name(), r.spec.model(), s.from(), s.to(), d.condition().describe(), d.observed(),
                    d.threshold(), s.evidence(), enqueue, guard, null));
        }
        r.state = s.to();
        r.since = s.since();
    }
}
