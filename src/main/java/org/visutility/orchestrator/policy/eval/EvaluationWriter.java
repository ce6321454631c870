package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.policy.spec.DriftCondition;
import org.visutility.orchestrator.policy.notify.ExperimentQueued;
import org.visutility.orchestrator.policy.notify.StateChange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a pass's decisions in one transaction: claims the state rows that need writing (so a
 * racing evaluator writes none of the same rows), records state changes with their evidence,
 * enqueues the experiments of firing policies and links them to their firing evaluations.
 * Set-wise: a handful of statements whatever the number of models; nothing when nothing changed.
 */
final class EvaluationWriter {
    private static final String CLAIM = SqlFiles.load(EvaluationWriter.class, "ClaimStates");
    private static final String INSERT_EVALUATIONS = SqlFiles.load(EvaluationWriter.class, "InsertEvaluations");
    private static final String ENQUEUE = SqlFiles.load(EvaluationWriter.class, "EnqueueExperiments");
    private static final String LINK = SqlFiles.load(EvaluationWriter.class, "LinkEvaluationExperiments");
    private static final String DRIFT_EVIDENCE = SqlFiles.load(EvaluationWriter.class, "InsertDriftEvidence");
    private static final String TARGETS_VERSION = SqlFiles.load(EvaluationWriter.class, "TargetsVersion");

    record Pair(long policyId, long modelId) {
        static Pair of(PolicyTarget t) {
            return new Pair(t.policyId(), t.modelId());
        }
    }

    /**
     * What a write did; {@code targetsVersion} is the targets' counter (V391) as its transaction left it,
     * read after its claim (null: it wrote nothing), and {@code claimed} the decisions whose state rows it wrote.
     */
    record Written(int rows, List<StateChange> changes, List<ExperimentQueued> experiments, Long targetsVersion,
                   List<Decision> claimed) {
    }

    Written write(Handle handle, Instant at, List<Decision> all) {
        List<Decision> decisions = all.stream().filter(Decision::writes).toList();
        if (decisions.isEmpty()) return new Written(0, List.of(), List.of(), null, List.of());
        return handle.inTransaction(h -> {
            Set<Pair> claimed = claim(h, at, decisions);
            // the claim's trigger moved the counter and holds its row until this commits: no one moves it between
            long targetsVersion = h.createQuery(TARGETS_VERSION).mapTo(Long.class).one();
            List<Decision> recorded = decisions.stream().filter(d -> d.recorded() && claimed.contains(Pair.of(d.target()))).toList();
            Map<Pair, Long> evaluationIds = insertEvaluations(h, at, recorded);
            insertDriftEvidence(h, at, recorded, evaluationIds);
            List<ExperimentQueued> experiments = enqueue(h, at, recorded, evaluationIds);
            List<StateChange> changes = new ArrayList<>();
            for (Decision d : recorded) {
                if (!d.step().changed()) continue;
                ConditionResult r = d.step().decidingResult();
                PolicyTarget t = d.target();
                changes.add(new StateChange(evaluationIds.get(Pair.of(t)), t.policyId(), t.policyName(), t.version(), t.modelId(),
                        t.modelName(), d.step().from().spelling(), d.step().to().spelling(), at, r.condition().describe(),
                        r.observed(), r.threshold(), d.step().evidence()));
            }
            List<Decision> claimedDecisions = decisions.stream().filter(d -> claimed.contains(Pair.of(d.target()))).toList();
            return new Written(claimed.size(), changes, experiments, targetsVersion, claimedDecisions);
        });
    }

    private static Set<Pair> claim(Handle h, Instant at, List<Decision> decisions) {
        if (decisions.isEmpty()) return Set.of();
        List<Long> policies = new ArrayList<>();
        List<Long> models = new ArrayList<>();
        List<Long> revisions = new ArrayList<>();
        List<String> states = new ArrayList<>();
        List<Long> since = new ArrayList<>();
        List<Double> observed = new ArrayList<>();
        for (Decision d : decisions) {
            policies.add(d.target().policyId());
            models.add(d.target().modelId());
            revisions.add(d.target().revision());
            states.add(d.step().to().spelling());
            since.add(SqlValues.micros(d.step().since()));
            observed.add(d.step().decidingResult().observed());
        }
        Set<Pair> claimed = new HashSet<>();
        h.createQuery(CLAIM)
                .bindArray("policy_ids", Long.class, policies)
                .bindArray("model_ids", Long.class, models)
                .bindArray("revisions", Long.class, revisions)
                .bindArray("states", String.class, states)
                .bindArray("since_us", Long.class, since)
                .bindArray("observed", Double.class, observed)
                .bind("at", SqlValues.utc(at))
                .map((rs, ctx) -> claimed.add(new Pair(rs.getLong("policy_id"), rs.getLong("model_id"))))
                .forEach(x -> { });
        return claimed;
    }

    private static Map<Pair, Long> insertEvaluations(Handle h, Instant at, List<Decision> recorded) {
        if (recorded.isEmpty()) return Map.of();
        List<Long> versions = new ArrayList<>();
        List<Long> models = new ArrayList<>();
        List<String> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        List<Double> observed = new ArrayList<>();
        List<Double> thresholds = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        List<String> details = new ArrayList<>();
        Map<Long, Long> policyByVersion = new HashMap<>();
        EvidenceVersions.Lookup evidenceSeen = EvidenceVersions.of(h, recorded);
        List<String> evidenceFrom = new ArrayList<>();
        List<String> evidenceTo = new ArrayList<>();
        for (Decision d : recorded) {
            ConditionResult r = d.step().decidingResult();
            versions.add(d.target().versionId());
            policyByVersion.put(d.target().versionId(), d.target().policyId());
            models.add(d.target().modelId());
            from.add(d.step().from().spelling());
            to.add(d.step().to().spelling());
            conditions.add(r.condition().describe());
            observed.add(r.observed());
            thresholds.add(r.threshold());
            evidence.add(SqlValues.arrayLiteral(d.step().evidence()));
            EvidenceVersions.Observed seen = evidenceSeen.bounds(d.step().evidence());
            evidenceFrom.add(seen == null ? null : seen.first().toString());
            evidenceTo.add(seen == null ? null : seen.last().toString());
            details.add(d.detail(evidenceSeen.versions()).toString());
        }
        Map<Pair, Long> ids = new HashMap<>();
        h.createQuery(INSERT_EVALUATIONS)
                .bindArray("version_ids", Long.class, versions)
                .bindArray("model_ids", Long.class, models)
                .bindArray("from_states", String.class, from)
                .bindArray("to_states", String.class, to)
                .bindArray("conditions", String.class, conditions)
                .bindArray("observed", Double.class, observed)
                .bindArray("thresholds", Double.class, thresholds)
                .bindArray("evidence", String.class, evidence)
                .bindArray("details", String.class, details)
                .bindArray("evidence_from", String.class, evidenceFrom)
                .bindArray("evidence_to", String.class, evidenceTo)
                .bind("at", SqlValues.utc(at))
                .map((rs, ctx) -> ids.put(new Pair(policyByVersion.get(rs.getLong("policy_version_id")), rs.getLong("model_id")),
                        rs.getLong("id")))
                .forEach(x -> { });
        return ids;
    }

    /** drift_evidence: every feature each recorded decision's drift and estimated conditions scored. */
    private static void insertDriftEvidence(Handle h, Instant at, List<Decision> recorded, Map<Pair, Long> evaluationIds) {
        List<Long> evaluations = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        List<String> features = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<Double> pValues = new ArrayList<>();
        List<Long> samples = new ArrayList<>();
        List<Integer> histograms = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        List<Long> references = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        List<Boolean> drifted = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // drift verdicts of the fast path carry counts only: their features are read now, as known at the same instant
        List<ConditionInput> reread = new ArrayList<>();
        for (Decision d : recorded) {
            List<ConditionResult> results = d.step().results();
            for (ConditionResult r : results) {
                if (r.condition() instanceof DriftCondition && r.features().isEmpty() && r.holds() != null) {
                    reread.add(new ConditionInput(reread.size(), d.target().modelId(), d.target().modelName(), r.condition(), at));
                }
            }
        }
        Map<Integer, List<FeatureScore>> rereadFeatures = DriftKind.features(h, reread);
        int next = 0;
        for (Decision d : recorded) {
            Long evaluation = evaluationIds.get(Pair.of(d.target()));
            List<ConditionResult> results = d.step().results();
            for (int i = 0; i < results.size(); i++) {
                ConditionResult r = results.get(i);
                List<FeatureScore> judged = r.features();
                if (r.condition() instanceof DriftCondition && judged.isEmpty() && r.holds() != null) {
                    judged = rereadFeatures.getOrDefault(next++, List.of());
                }
                if (evaluation == null) continue;
                for (FeatureScore f : judged) {
                    evaluations.add(evaluation);
                    indexes.add(i);
                    features.add(f.feature());
                    methods.add(f.method());
                    scores.add(f.score());
                    pValues.add(f.pValue());
                    samples.add(f.sampleCount());
                    histograms.add(f.histograms());
                    versions.add(f.modelVersionId());
                    references.add(f.referenceId());
                    starts.add(SqlValues.micros(f.windowStart()));
                    ends.add(SqlValues.micros(f.windowEnd()));
                    drifted.add(f.drifted());
                    notes.add(f.note());
                }
            }
        }
        if (evaluations.isEmpty()) return;
        h.createUpdate(DRIFT_EVIDENCE)
                .bindArray("evaluation_ids", Long.class, evaluations)
                .bindArray("condition_indexes", Integer.class, indexes)
                .bindArray("features", String.class, features)
                .bindArray("methods", String.class, methods)
                .bindArray("scores", Double.class, scores)
                .bindArray("p_values", Double.class, pValues)
                .bindArray("sample_counts", Long.class, samples)
                .bindArray("histograms", Integer.class, histograms)
                .bindArray("version_ids", Long.class, versions)
                .bindArray("reference_ids", Long.class, references)
                .bindArray("start_us", Long.class, starts)
                .bindArray("end_us", Long.class, ends)
                .bindArray("drifted", Boolean.class, drifted)
                .bindArray("notes", String.class, notes)
                .execute();
    }

    private static List<ExperimentQueued> enqueue(Handle h, Instant at, List<Decision> recorded, Map<Pair, Long> evaluationIds) {
        List<Decision> firing = recorded.stream().filter(Decision::enqueue).toList();
        if (firing.isEmpty()) return List.of();
        List<Long> models = new ArrayList<>();
        List<Long> policies = new ArrayList<>();
        List<Long> evaluations = new ArrayList<>();
        List<String> specs = new ArrayList<>();
        List<String> shas = new ArrayList<>();
        Map<Pair, Decision> byPair = new HashMap<>();
        for (Decision d : firing) {
            Pair p = Pair.of(d.target());
            byPair.put(p, d);
            models.add(p.modelId());
            policies.add(p.policyId());
            evaluations.add(evaluationIds.get(p));
            specs.add(d.target().spec().experiment().toString());
            shas.add(d.target().spec().experimentSha256());
        }
        Map<Long, Long> experimentByEvaluation = new HashMap<>();
        List<ExperimentQueued> queued = new ArrayList<>();
        h.createQuery(ENQUEUE)
                .bindArray("model_ids", Long.class, models)
                .bindArray("policy_ids", Long.class, policies)
                .bindArray("evaluation_ids", Long.class, evaluations)
                .bindArray("specs", String.class, specs)
                .bindArray("spec_sha256s", String.class, shas)
                .bind("at", SqlValues.utc(at))
                .map((rs, ctx) -> {
                    long experiment = rs.getLong("id");
                    long evaluation = rs.getLong("policy_evaluation_id");
                    experimentByEvaluation.put(evaluation, experiment);
                    PolicyTarget t = byPair.get(new Pair(rs.getLong("policy_id"), rs.getLong("model_id"))).target();
                    queued.add(new ExperimentQueued(experiment, evaluation, t.policyId(), t.policyName(), t.modelId(), t.modelName(), at));
                    return null;
                })
                .forEach(x -> { });
        List<Long> linkedExperiments = new ArrayList<>();
        for (Long evaluation : evaluations) linkedExperiments.add(experimentByEvaluation.get(evaluation));
        h.createUpdate(LINK)
                .bindArray("evaluation_ids", Long.class, evaluations)
                .bindArray("experiment_ids", Long.class, linkedExperiments)
                .execute();
        return queued;
    }
}
