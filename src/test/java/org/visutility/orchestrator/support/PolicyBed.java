package org.visutility.orchestrator.support;

import org.visutility.orchestrator.store.SqlValues;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.policy.PolicyApplier;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A policy test's world: a database of its own (so no other test's policies are evaluated), a
 * clock the test moves, a live evaluator on that clock and an observer that remembers.
 */
public final class PolicyBed implements AutoCloseable {
    public final TestDatabase db;
    public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    public final RecordingObserver observer = new RecordingObserver();
    public final PolicyEvaluator evaluator;
    /** Where custom SQL conditions run: the database's policy-condition role, created for the bed as an administrator would. */
    public final ConditionPool sqlConditions;
    private final Path dir;

    /** A state change (or enqueue) as recorded in policy_evaluation. */
    public record Evaluation(long id, Instant at, String policy, int version, String model, String from, String to, String condition,
                             Double observed, Double threshold, List<Long> evidence, Long experimentId, String detail) {
    }

    /** An experiment row as the tuning side will find it. */
    public record Experiment(long id, String policy, String model, String trigger, String status, Long evaluationId, String spec,
                             String specSha256, Instant queuedAt) {
    }

    public PolicyBed(String name, Path dir) {
        this.db = TestPostgres.get().newMigratedDatabase(name);
        this.dir = dir;
        db.createRoles();
        this.sqlConditions = new ConditionPool(db.jdbi(), db.url(), Optional.of(TestDatabase.POLICY_SQL_PASSWORD));
        this.evaluator = new PolicyEvaluator(db.jdbi(), sqlConditions, clock, observer);
    }

    public Jdbi jdbi() {
        return db.jdbi();
    }

    /** A folder of this test's own, for policy and experiment spec files. */
    public Path dir() {
        return dir;
    }

    public MetricHistory history() {
        return MetricHistory.in(db.jdbi());
    }

    public List<PolicyApplier.Outcome> apply(String yaml) {
        return PolicyFiles.apply(db.jdbi(), sqlConditions, dir, yaml);
    }

    public PolicyEvaluator.PassResult evaluateAt(Instant at) {
        clock.set(at);
        return evaluator.evaluateOnce();
    }

    public String state(String policy) {
        return jdbi().withHandle(h -> h.createQuery("""
                SELECT s.state FROM orchestrator.policy_state s JOIN orchestrator.retrain_policy p ON p.id = s.policy_id
                 WHERE p.name = :p AND s.model_id = p.model_id""").bind("p", policy).mapTo(String.class).one());
    }

    public List<Evaluation> evaluations(String policy) {
        return jdbi().withHandle(h -> h.createQuery("""
                SELECT e.id, e.evaluated_at, p.name AS policy, v.version, m.name AS model, e.from_state, e.to_state, e.condition,
                       e.observed, e.threshold, e.evidence_snapshot_ids, e.experiment_id, e.detail::text AS detail
                  FROM orchestrator.policy_evaluation e
                  JOIN orchestrator.retrain_policy_version v ON v.id = e.policy_version_id
                  JOIN orchestrator.retrain_policy p ON p.id = v.policy_id
                  JOIN orchestrator.model m ON m.id = e.model_id
                 WHERE p.name = :p ORDER BY e.evaluated_at, e.id""").bind("p", policy)
                .map((rs, ctx) -> new Evaluation(rs.getLong("id"), SqlValues.instant(rs, "evaluated_at"), rs.getString("policy"),
                        rs.getInt("version"), rs.getString("model"), rs.getString("from_state"), rs.getString("to_state"),
                        rs.getString("condition"), SqlValues.doubleOrNull(rs, "observed"), SqlValues.doubleOrNull(rs, "threshold"),
                        SqlValues.longs(rs, "evidence_snapshot_ids"), SqlValues.longOrNull(rs, "experiment_id"), rs.getString("detail")))
                .list());
    }

    /** The state changes of a policy as "from->to" strings, in order. */
    public List<String> transitions(String policy) {
        return evaluations(policy).stream().filter(e -> !e.from().equals(e.to())).map(e -> e.from() + "->" + e.to()).toList();
    }

    public List<Experiment> experiments(String policy) {
        return jdbi().withHandle(h -> h.createQuery("""
                SELECT e.id, p.name AS policy, m.name AS model, e.trigger, e.status, e.policy_evaluation_id, e.spec::text AS spec,
                       e.spec_sha256, e.queued_at
                  FROM orchestrator.experiment e
                  JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
                  JOIN orchestrator.model m ON m.id = e.model_id
                 WHERE p.name = :p ORDER BY e.id""").bind("p", policy)
                .map((rs, ctx) -> new Experiment(rs.getLong("id"), rs.getString("policy"), rs.getString("model"), rs.getString("trigger"),
                        rs.getString("status"), SqlValues.longOrNull(rs, "policy_evaluation_id"), rs.getString("spec"),
                        rs.getString("spec_sha256"), SqlValues.instant(rs, "queued_at")))
                .list());
    }

    /** Ends an experiment as the tuning side would. */
    public void finishExperiment(long id, String status, Instant at) {
        jdbi().useHandle(h -> h.createUpdate("UPDATE orchestrator.experiment SET status = :s, finished_at = :t WHERE id = :id")
                .bind("s", status).bind("t", OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC)).bind("id", id).execute());
    }

    @Override
    public void close() {
        sqlConditions.close();
        db.close();
    }
}
