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
 *
 * <p>The targets themselves are kept from pass to pass with the version of retrain_policy and
 * policy_state they were read at (V391's counter, which every writing statement moves in its own
 * transaction): a pass reads that one number, and the targets again only when it moved. The
 * pass's own write keeps them current ({@link #afterWrite}) when it was the only change since.
 */
final class TargetLoader {
    private static final String ENSURE_STATES = SqlFiles.load(TargetLoader.class, "EnsureStates");
    private static final String LOAD_TARGETS = SqlFiles.load(TargetLoader.class, "LoadTargets");
    private static final String LOAD_VERSIONS = SqlFiles.load(TargetLoader.class, "LoadPolicyVersions");
    private static final String LOAD_MODEL_NAMES = SqlFiles.load(TargetLoader.class, "LoadModelNames");
    private static final String VERSION = SqlFiles.load(TargetLoader.class, "TargetsVersion");

    /** The targets as of one version of retrain_policy and policy_state ({@link #UNKNOWN}: of none, never kept). */
    record Targets(long version, List<PolicyTarget> list) {
    }

    /** The version of targets that left out a row changed while they were read: they are not kept. */
    static final long UNKNOWN = -2;

    private record VersionKey(long policyId, int version) {
    }

    private record PolicyVersion(long versionId, String policyName, PolicySpec spec) {
    }

    private final Map<VersionKey, PolicyVersion> versions = new ConcurrentHashMap<>();
    private final Map<Long, String> modelNames = new ConcurrentHashMap<>();
    /** The last targets read or written, or null. */
    private Targets kept;
    private long reads;

    private record Row(long policyId, int version, long modelId, String state, long sinceUs, long revision, Double lastObserved) {
    }

    /** The targets now: those kept when nothing was written since they were read, else read again. */
    Targets load(Handle handle, Instant at) {
        Targets last = kept();
        if (last != null && last.version() == handle.createQuery(VERSION).mapTo(Long.class).one()) return last;
        Targets read = read(handle, at);
        if (read.version() != UNKNOWN) keep(read);
        return read;
    }

    /**
     * After a pass wrote: {@code versionAfter} is the counter its write transaction left (read in it,
     * after its claim, whose row lock holds it until the commit); when that is one more than the
     * targets' own version, the claim was the only change since they were read, and the targets with
     * the claimed rows' new states are current at {@code versionAfter}. Otherwise the next pass reads
     * them again.
     */
    void afterWrite(Targets loaded, long versionAfter, List<Decision> claimed) {
        if (loaded.version() == UNKNOWN || versionAfter != loaded.version() + 1) {
            forget();
            return;
        }
        Map<EvaluationWriter.Pair, Decision> byPair = new java.util.HashMap<>(claimed.size() * 2);
        for (Decision d : claimed) byPair.put(EvaluationWriter.Pair.of(d.target()), d);
        List<PolicyTarget> now = new ArrayList<>(loaded.list().size());
        for (PolicyTarget t : loaded.list()) {
            Decision d = byPair.isEmpty() ? null : byPair.get(EvaluationWriter.Pair.of(t));
            now.add(d == null ? t : written(t, d.step()));
        }
        keep(new Targets(versionAfter, java.util.Collections.unmodifiableList(now)));
    }

    /** The target as ClaimStates left its state row: the step's state and since, the next revision, the observed value. */
    static PolicyTarget written(PolicyTarget t, Step s) {
        return new PolicyTarget(t.policyId(), t.policyName(), t.versionId(), t.version(), t.modelId(), t.modelName(), t.spec(),
                s.to(), s.since(), t.revision() + 1, s.decidingResult().observed());
    }

    /** The targets kept for the next pass, or null. */
    synchronized Targets kept() {
        return kept;
    }

    /** How many times the targets were read from the database (not kept). */
    synchronized long reads() {
        return reads;
    }

    private synchronized void keep(Targets targets) {
        kept = targets;
    }

    private synchronized void forget() {
        kept = null;
    }

    private Targets read(Handle handle, Instant at) {
        synchronized (this) {
            reads++;
        }
        Versioned versioned = rowsAndVersion(handle);
        if (versioned.rows().stream().anyMatch(r -> r.state() == null)) {
            // a (policy, model) seen for the first time: its state row is created, then read
            handle.createUpdate(ENSURE_STATES).bind("at", SqlValues.utc(at)).execute();
            versioned = rowsAndVersion(handle);
        }
        List<Row> rows = versioned.rows();
        rows.sort(Comparator.comparingLong(Row::policyId));
        PolicyVersion[] version = new PolicyVersion[rows.size()];
        String[] modelName = new String[rows.size()];
        fillFromCache(handle, rows, version, modelName);
        List<PolicyTarget> targets = new ArrayList<>(rows.size());
        boolean leftOut = false;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            PolicyVersion v = version[i];
            if (v == null || r.state() == null) { // enabled, removed or disabled while this pass read: the next pass reads again
                leftOut = true;
                continue;
            }
            targets.add(new PolicyTarget(r.policyId(), v.policyName(), v.versionId(), r.version(), r.modelId(), modelName[i], v.spec(),
                    PolicyState.of(r.state()), Instant.EPOCH.plus(r.sinceUs(), ChronoUnit.MICROS), r.revision(), r.lastObserved()));
        }
        return new Targets(leftOut ? UNKNOWN : versioned.version(), java.util.Collections.unmodifiableList(targets));
    }

    private record Versioned(long version, List<Row> rows) {
    }

    /** The rows with the counter's version, read in one snapshot (so the version is the rows' own). */
    private static Versioned rowsAndVersion(Handle handle) {
        return handle.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.REPEATABLE_READ,
                h -> new Versioned(h.createQuery(VERSION).mapTo(Long.class).one(), rows(h)));
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
