package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.notify.VerificationDecided;
import org.visutility.orchestrator.policy.spec.Aggregate;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.policy.spec.PolicySpec;
import org.visutility.orchestrator.policy.spec.Window;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Post-deploy verification, one step of each policy pass (before the pass decides, so that the
 * enqueue guard sees what it opened and closed). It opens a verification for every version
 * produced by a policy's experiment that has become active, whatever made it active, reading the
 * activation from orchestrator.model_version_event; the primary key opens each once. Then it
 * judges the open ones ({@link VerificationJudgement}) and records outcomes where still open, so
 * that of two evaluators only one decides (and notifies) each. It never changes a version's status.
 */
public final class RetrainVerifier {
    private static final String ACTIVATIONS = SqlFiles.load(RetrainVerifier.class, "ActivationsToVerify");
    private static final String LOAD_SPECS = SqlFiles.load(RetrainVerifier.class, "LoadSpecs");
    private static final String OPEN = SqlFiles.load(RetrainVerifier.class, "OpenVerifications");
    private static final String OPEN_ROWS = SqlFiles.load(RetrainVerifier.class, "OpenVerificationRows");
    private static final String DECIDE = SqlFiles.load(RetrainVerifier.class, "DecideVerifications");
    private static final String COUNT_OPEN = SqlFiles.load(RetrainVerifier.class, "CountOpenVerifications");
    /** Activations opened per pass at most; more wait for the next pass. */
    static final int MAX_OPENED_PER_PASS = 500;

    private final Map<Long, PolicySpec> specs = new ConcurrentHashMap<>();
    private final Runnable beforeDecide;

    /** What one pass did: verifications opened, decided (by this evaluator), and how many are open after it. */
    public record Result(int opened, List<VerificationDecided> decided, long open) {
    }

    public RetrainVerifier() {
        this(() -> { });
    }

    /** @param beforeDecide runs after judging and before recording outcomes; tests line up racing evaluators with it */
    public RetrainVerifier(Runnable beforeDecide) {
        this.beforeDecide = beforeDecide;
    }

    public Result pass(Handle handle, Instant at) {
        int opened = open(handle, at);
        List<VerificationDecided> decided = decide(handle, at);
        long open = handle.createQuery(COUNT_OPEN).mapTo(Long.class).one();
        return new Result(opened, decided, open);
    }

    // ------------------------------------------------------------------ opening

    private record Activation(long experimentId, long policyId, long policyVersionId, long modelId, long versionId, Instant activatedAt,
                              Instant breachAt, Long previousVersionId) {
    }

    private int open(Handle handle, Instant at) {
        List<Activation> found = handle.createQuery(ACTIVATIONS).bind("limit", MAX_OPENED_PER_PASS)
                .map((rs, ctx) -> new Activation(rs.getLong("experiment_id"), rs.getLong("policy_id"), rs.getLong("policy_version_id"),
                        rs.getLong("model_id"), rs.getLong("model_version_id"), SqlValues.instant(rs, "activated_at"),
                        SqlValues.instant(rs, "breach_at"), SqlValues.longOrNull(rs, "previous_version_id")))
                .list();
        if (found.isEmpty()) return 0;
        loadSpecs(handle, found.stream().map(Activation::policyVersionId).distinct().toList());
        List<VerificationRule> rules = found.stream().map(a -> VerificationRule.of(specs.get(a.policyVersionId()))).toList();
        List<WindowAggregates.Request> requests = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            Activation a = found.get(i);
            VerificationRule r = rules.get(i);
            // the baseline: what the replaced version (or, with none, the model) showed up to the breach,
            // on the values known now (a judged window ends earlier than the instant it is read at)
            if (r.metric() != null) requests.add(new WindowAggregates.Request(i, a.modelId(), r.metric(), a.previousVersionId(), null, r.window(), a.breachAt(),
                    at, false, r.aggregate()));
        }
        Map<Integer, WindowAggregates.Stats> baselines = WindowAggregates.run(handle, requests);
        Columns c = new Columns();
        for (int i = 0; i < found.size(); i++) c.add(found.get(i), rules.get(i), baselines.get(i));
        return handle.inTransaction(h -> c.bind(h.createQuery(OPEN)).mapTo(Long.class).list().size());
    }

    private void loadSpecs(Handle handle, List<Long> versionIds) {
        List<Long> missing = versionIds.stream().filter(id -> !specs.containsKey(id)).toList();
        if (missing.isEmpty()) return;
        handle.createQuery(LOAD_SPECS).bindArray("ids", Long.class, missing)
                .map((rs, ctx) -> {
                    try {
                        specs.put(rs.getLong("id"), PolicyFileParser.readStored(Json.MAPPER.readTree(rs.getString("spec"))));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("stored policy spec is not JSON: " + e.getMessage(), e);
                    }
                    return null;
                })
                .forEach(x -> { });
    }

    /** The insert's columns, one list per column. */
    private static final class Columns {
        final List<Long> experiments = new ArrayList<>();
        final List<Long> policies = new ArrayList<>();
        final List<Long> policyVersions = new ArrayList<>();
        final List<Long> models = new ArrayList<>();
        final List<Long> versions = new ArrayList<>();
        final List<Long> previous = new ArrayList<>();
        final List<String> bases = new ArrayList<>();
        final List<String> metrics = new ArrayList<>();
        final List<String> aggregates = new ArrayList<>();
        final List<String> directions = new ArrayList<>();
        final List<Long> windowUs = new ArrayList<>();
        final List<Integer> windowSnapshots = new ArrayList<>();
        final List<Long> minSamples = new ArrayList<>();
        final List<Long> withinUs = new ArrayList<>();
        final List<Long> breachUs = new ArrayList<>();
        final List<Double> baselines = new ArrayList<>();
        final List<Double> thresholds = new ArrayList<>();
        final List<Long> openedUs = new ArrayList<>();
        final List<String> evidence = new ArrayList<>();

        void add(Activation a, VerificationRule r, WindowAggregates.Stats baseline) {
            experiments.add(a.experimentId());
            policies.add(a.policyId());
            policyVersions.add(a.policyVersionId());
            models.add(a.modelId());
            versions.add(a.versionId());
            previous.add(a.previousVersionId());
            bases.add(r.basis());
            boolean judged = r.metric() != null;
            metrics.add(r.metric());
            aggregates.add(judged ? r.aggregate().spelling() : null);
            directions.add(judged ? r.direction() : null);
            Window w = r.window();
            windowUs.add(w == null || w.duration() == null ? null : w.duration().toNanos() / 1000);
            windowSnapshots.add(w == null ? null : w.snapshots());
            minSamples.add(r.minSamples());
            withinUs.add(r.within().toNanos() / 1000);
            breachUs.add(SqlValues.micros(a.breachAt()));
            Double value = judged && baseline != null && baseline.snapshots() > 0 ? baseline.value(r.aggregate()) : null;
            baselines.add(value);
            thresholds.add(r.threshold());
            openedUs.add(SqlValues.micros(a.activatedAt()));
            evidence.add(openingEvidence(a, r, baseline, value).toString());
        }

        org.jdbi.v3.core.statement.Query bind(org.jdbi.v3.core.statement.Query q) {
            return q.bindArray("experiment_ids", Long.class, experiments)
                    .bindArray("policy_ids", Long.class, policies)
                    .bindArray("policy_version_ids", Long.class, policyVersions)
                    .bindArray("model_ids", Long.class, models)
                    .bindArray("model_version_ids", Long.class, versions)
                    .bindArray("previous_version_ids", Long.class, previous)
                    .bindArray("bases", String.class, bases)
                    .bindArray("metrics", String.class, metrics)
                    .bindArray("aggregates", String.class, aggregates)
                    .bindArray("directions", String.class, directions)
                    .bindArray("window_us", Long.class, windowUs)
                    .bindArray("window_snapshots", Integer.class, windowSnapshots)
                    .bindArray("min_samples", Long.class, minSamples)
                    .bindArray("within_us", Long.class, withinUs)
                    .bindArray("breach_us", Long.class, breachUs)
                    .bindArray("baselines", Double.class, baselines)
                    .bindArray("thresholds", Double.class, thresholds)
                    .bindArray("opened_us", Long.class, openedUs)
                    .bindArray("evidence", String.class, evidence);
        }
    }

    private static ObjectNode openingEvidence(Activation a, VerificationRule r, WindowAggregates.Stats s, Double value) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ObjectNode rule = n.putObject("rule");
        rule.put("basis", r.basis());
        if (r.metric() != null) {
            rule.put("metric", r.metric()).put("aggregate", r.aggregate().spelling()).put("direction", r.direction())
                    .put("window", r.window().describe()).put("min_samples", r.minSamples());
        }
        rule.put("within", Durations.format(r.within()));
        if (r.threshold() != null) rule.put("threshold", r.threshold());
        if (r.metric() != null) {
            ObjectNode b = n.putObject("baseline");
            if (a.previousVersionId() != null) b.put("model_version_id", a.previousVersionId());
            b.put("until", a.breachAt().toString());
            b.put("snapshots", s == null ? 0 : s.snapshots());
            b.put("samples", s == null ? 0 : s.samples());
            if (value != null) b.put("value", value);
            ArrayNode ids = b.putArray("snapshot_ids");
            if (s != null) s.evidence().stream().limit(VerificationJudgement.MAX_EVIDENCE_IDS).forEach(ids::add);
        }
        return n;
    }

    // ------------------------------------------------------------------ judging

    private List<VerificationDecided> decide(Handle handle, Instant at) {
        List<OpenVerification> open = handle.createQuery(OPEN_ROWS)
                .map((rs, ctx) -> {
                    Long windowUs = SqlValues.longOrNull(rs, "window_us");
                    Integer snapshots = (Integer) rs.getObject("window_snapshots");
                    String aggregate = rs.getString("aggregate");
                    return new OpenVerification(rs.getLong("experiment_id"), rs.getLong("policy_id"), rs.getString("policy"),
                            rs.getInt("policy_version"), rs.getLong("model_id"), rs.getString("model"), rs.getLong("model_version_id"), rs.getString("version"),
                            rs.getString("previous_version"), rs.getString("basis"), rs.getString("metric"),
                            aggregate == null ? null : Aggregate.bySpelling(aggregate).orElseThrow(),
                            !"minimize".equals(rs.getString("direction")),
                            windowUs != null ? Window.of(Duration.ofNanos(windowUs * 1000)) : snapshots != null ? Window.lastSnapshots(snapshots) : null,
                            rs.getLong("min_samples"), SqlValues.doubleOrNull(rs, "baseline"), SqlValues.doubleOrNull(rs, "threshold"),
                            SqlValues.instant(rs, "opened_at"), SqlValues.instant(rs, "deadline"),
                            SqlValues.instant(rs, "retired_at"));
                })
                .list();
        if (open.isEmpty()) return List.of();
        List<WindowAggregates.Request> requests = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            OpenVerification v = open.get(i);
            if (v.metric() == null) continue;
            requests.add(new WindowAggregates.Request(i, v.modelId(), v.metric(), v.modelVersionId(), v.openedAt(), v.window(),
                    VerificationJudgement.windowEnd(v, at), at, false, v.aggregate()));
        }
        Map<Integer, WindowAggregates.Stats> stats = WindowAggregates.run(handle, requests);
        List<OpenVerification> judged = new ArrayList<>();
        List<VerificationJudgement.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < open.size(); i++) {
            VerificationJudgement.Verdict verdict = VerificationJudgement.judge(open.get(i), stats.get(i), at);
            if (verdict == null) continue;
            judged.add(open.get(i));
            verdicts.add(verdict);
        }
        if (judged.isEmpty()) return List.of();
        beforeDecide.run();
        List<Long> ids = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        List<Double> observed = new ArrayList<>();
        List<Long> samples = new ArrayList<>();
        List<Long> decidedUs = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        for (int i = 0; i < judged.size(); i++) {
            VerificationJudgement.Verdict d = verdicts.get(i);
            ids.add(judged.get(i).experimentId());
            outcomes.add(d.outcome());
            observed.add(d.observed());
            samples.add(d.samples());
            decidedUs.add(SqlValues.micros(at));
            reasons.add(d.reason().length() <= 1000 ? d.reason() : d.reason().substring(0, 997) + "...");
            evidence.add(d.evidence().toString());
        }
        Set<Long> won = new HashSet<>(handle.inTransaction(h -> h.createQuery(DECIDE)
                .bindArray("experiment_ids", Long.class, ids)
                .bindArray("outcomes", String.class, outcomes)
                .bindArray("observed", Double.class, observed)
                .bindArray("sample_counts", Long.class, samples)
                .bindArray("decided_us", Long.class, decidedUs)
                .bindArray("reasons", String.class, reasons)
                .bindArray("evidence", String.class, evidence)
                .mapTo(Long.class).list()));
        List<VerificationDecided> decided = new ArrayList<>();
        for (int i = 0; i < judged.size(); i++) {
            OpenVerification v = judged.get(i);
            if (!won.contains(v.experimentId())) continue;
            VerificationJudgement.Verdict d = verdicts.get(i);
            decided.add(new VerificationDecided(v.experimentId(), v.policyId(), v.policy(), v.policyVersion(), v.modelId(), v.model(),
                    v.version(), v.previousVersion(), d.outcome(), v.metric(), d.observed(), v.baseline(), v.threshold(), d.samples(),
                    v.openedAt(), at, reasons.get(i), d.evidence()));
        }
        return decided;
    }
}
