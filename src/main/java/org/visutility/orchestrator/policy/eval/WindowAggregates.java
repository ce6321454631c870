package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.BinaryResults;
import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.Window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs WindowAggregates.sql: one aggregate of a metric over a window, for many requests at once.
 * Requests that share their parameters but for the model (a pass over a fleet: all of them) are
 * bound as one group with its models ({@link GroupModels}), so a request costs one number on the
 * way in and, when its window holds snapshots, a row of a few fields on the way out; the database
 * reads a time window's group in one index scan.
 */
final class WindowAggregates {
    private static final String SQL = SqlFiles.load(WindowAggregates.class, "WindowAggregates");

    /**
     * One window to aggregate, ending at {@code at}; versionId and notBefore narrow it to one model
     * version (null: any). Values are read as known at {@code knownAt} (null: today's current
     * revisions); with settledOnly only snapshots settled at {@code at} count. {@code aggregate} is
     * the value to compute (null: none, only the counts and the evidence).
     */
    record Request(int key, long modelId, String metric, Long versionId, Instant notBefore, Window window, Instant at,
                   Instant knownAt, boolean settledOnly, Aggregate aggregate) {
    }

    /** What one window holds: its counts, the asked-for aggregate's value and the evidence ids, newest first. */
    record Stats(long snapshots, long samples, Aggregate aggregate, Double value, List<Long> evidence) {
        /** The value of the aggregate the request asked for (null for none); asking for another is a bug. */
        Double value(Aggregate asked) {
            if (asked == null) return null;
            if (asked != aggregate) throw new IllegalArgumentException("the window was aggregated as " + aggregate + ", not " + asked);
            return value;
        }
    }

    /**
     * A request's parameters but for its model: requests with equal parameters share one group row.
     * Kept as the request holds them (cheap to compare); converted to bind values once per group.
     */
    private record Group(String metric, Long versionId, Instant notBefore, Window window, Instant at, Instant knownAt,
                         boolean settledOnly, Aggregate aggregate) {
        static Group of(Request r) {
            return new Group(r.metric(), r.versionId(), r.notBefore(), r.window(), r.at(), r.knownAt(), r.settledOnly(), r.aggregate());
        }

        boolean sameAs(Request r) {
            return settledOnly == r.settledOnly() && aggregate == r.aggregate() && metric.equals(r.metric())
                    && java.util.Objects.equals(versionId, r.versionId()) && java.util.Objects.equals(notBefore, r.notBefore())
                    && window.equals(r.window()) && at.equals(r.at()) && java.util.Objects.equals(knownAt, r.knownAt());
        }

        Long windowUs() {
            return window.duration() == null ? null : window.duration().toNanos() / 1000;
        }

        static Long micros(Instant t) {
            return t == null ? null : SqlValues.micros(t);
        }
    }

    private WindowAggregates() {
    }

    /** Each request's window by its key (requests with the same key: the last one's). */
    static Map<Integer, Stats> run(Handle handle, List<Request> requests) {
        Stats[] stats = byPosition(handle, requests);
        Map<Integer, Stats> out = new HashMap<>(requests.size() * 2);
        for (int i = 0; i < stats.length; i++) out.put(requests.get(i).key(), stats[i]);
        return out;
    }

    /**
     * Each request's window at the request's position in {@code requests}: a pass over a fleet
     * reads one per model, so an array spares a boxed key and a map entry per model.
     */
    static Stats[] byPosition(Handle handle, List<Request> requests) {
        Stats[] out = new Stats[requests.size()];
        if (requests.isEmpty()) return out;
        Map<Group, Integer> groupNumbers = new HashMap<>();
        List<Group> groups = new ArrayList<>();
        int[] groupOf = new int[requests.size()];
        Group last = null;
        int lastNumber = -1;
        for (int i = 0; i < groupOf.length; i++) {
            Request r = requests.get(i);
            // a fleet's requests come in runs of equal parameters: compare with the last before hashing
            if (last == null || !last.sameAs(r)) {
                last = Group.of(r);
                Integer known = groupNumbers.get(last);
                if (known == null) {
                    known = groups.size();
                    groups.add(last);
                    groupNumbers.put(last, known);
                }
                lastNumber = known;
            }
            groupOf[i] = lastNumber;
        }
        GroupModels models = GroupModels.of(requests, groupOf, groups.size());
        handle.createQuery(SQL)
                .bindArray("metrics", String.class, groups.stream().map(Group::metric).toList())
                .bindArray("version_ids", Long.class, groups.stream().map(Group::versionId).toList())
                .bindArray("not_before_us", Long.class, groups.stream().map(g -> Group.micros(g.notBefore())).toList())
                .bindArray("window_us", Long.class, groups.stream().map(Group::windowUs).toList())
                .bindArray("last_n", Integer.class, groups.stream().map(g -> g.window().snapshots()).toList())
                .bindArray("at_us", Long.class, groups.stream().map(g -> SqlValues.micros(g.at())).toList())
                .bindArray("known_us", Long.class, groups.stream().map(g -> Group.micros(g.knownAt())).toList())
                .bindArray("settled_only", Boolean.class, groups.stream().map(Group::settledOnly).toList())
                .bindArray("aggregates", String.class, groups.stream().map(g -> g.aggregate() == null ? null : g.aggregate().spelling()).toList())
                .bind("first_model", models.firstPositions())
                .bind("last_model", models.lastPositions())
                .bind("model_ids", models.ids())
                .addCustomizer(BinaryResults.FROM_THE_FIRST_EXECUTION)
                // by position, in the statement's column order (grp, model_id, snapshots, samples, value, evidence):
                // a fleet's pass reads 100,000 rows, a name lookup per field counts
                .map((rs, ctx) -> {
                    int group = rs.getInt(1) - 1;
                    long modelId = rs.getLong(2);
                    long snapshots = rs.getLong(3);
                    long samples = rs.getLong(4);
                    double v = rs.getDouble(5);
                    Double value = rs.wasNull() ? null : v;
                    List<Long> evidence = EvidenceIds.parse(rs.getBytes(6)); // the text's bytes, parsed without a String
                    models.forEachRequest(group, modelId,
                            i -> out[i] = new Stats(snapshots, samples, requests.get(i).aggregate(), value, evidence));
                    return null;
                })
                .forEach(x -> { });
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) out[i] = new Stats(0, 0, requests.get(i).aggregate(), null, List.of()); // an empty window
        }
        return out;
    }

    /**
     * The evidence ids from their comma-separated text (cheaper to read than an array); none for an
     * empty window. Parsed in place into an unmodifiable list, which the verdicts holding it do not copy.
     */
    static List<Long> ids(String commaSeparated) {
        return EvidenceIds.parse(commaSeparated);
    }
}
