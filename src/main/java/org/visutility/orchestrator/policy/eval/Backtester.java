package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.config.Durations;
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
                        Double observed, Double threshold, List<Long> evidence, boolean wouldEnqueue, String guard) {
    }

    /**
     * What a replay found; {@code recordedLater}: for a replay as known at each instant, how many
     * snapshots observed in the range were recorded only after it (up to {@link #RECORDED_LATER_CAP}),
     * which the replay could not see; 0 for a replay as now.
     */
    public record Report(List<Event> events, List<String> unknownModels, long instants, int policies, ValuesAsOf values,
                         long recordedLater) {
    }

    private static final class Replay {
        final PolicySpec spec;
        final long modelId;
        PolicyState state = PolicyState.OK;
        Instant since;
        Instant lastEnqueue;

        Replay(PolicySpec spec, long modelId, Instant start) {
            this.spec = spec;
            this.modelId = modelId;
            this.since = start;
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
                for (Replay r : replays) advance(r, batch.results(slot++), at, events);
            }
        }
        long later = values == ValuesAsOf.KNOWN_AT && !replays.isEmpty()
                ? handle.createQuery(RECORDED_LATER)
                        .bindArray("model_ids", Long.class, replays.stream().map(r -> r.modelId).distinct().toList())
                        .bind("from", SqlValues.utc(start)).bind("to", SqlValues.utc(SqlValues.truncate(to)))
                        .bind("cap", RECORDED_LATER_CAP)
                        .mapTo(Long.class).one()
                : 0;
        return new Report(events, unknown, instants, replays.size(), values, later);
    }

    private static void advance(Replay r, List<ConditionResult> results, Instant at, List<Event> events) {
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
            events.add(new Event(at, r.spec.name(), r.spec.model(), s.from(), s.to(), d.condition().describe(), d.observed(),
                    d.threshold(), s.evidence(), enqueue, guard));
        }
        r.state = s.to();
        r.since = s.since();
    }
}
