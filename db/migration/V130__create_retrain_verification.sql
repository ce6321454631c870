-- Post-deploy verification: once a version produced by a policy's experiment becomes active
-- (whatever made it active), the clustered policy job opens one verification of that retrain
-- and later records whether production recovered. One row per experiment, opened once (the
-- primary key) and decided once (outcome is set only where it is still NULL).

CREATE TABLE orchestrator.retrain_verification (
    experiment_id        bigint           PRIMARY KEY REFERENCES orchestrator.experiment (id),
    policy_id            bigint           NOT NULL REFERENCES orchestrator.retrain_policy (id),
    policy_version_id    bigint           NOT NULL REFERENCES orchestrator.retrain_policy_version (id),
    model_id             bigint           NOT NULL REFERENCES orchestrator.model (id),
    model_version_id     bigint           NOT NULL REFERENCES orchestrator.model_version (id),
    previous_version_id  bigint           REFERENCES orchestrator.model_version (id),
    basis                text             NOT NULL CHECK (basis IN ('verify', 'condition', 'none')),
    metric               text,
    aggregate            text             CHECK (aggregate IN ('last', 'mean', 'min', 'max', 'weighted_mean')),
    direction            text             CHECK (direction IN ('maximize', 'minimize')),
    window_length        interval         CHECK (window_length > interval '0'),
    window_snapshots     integer          CHECK (window_snapshots > 0),
    min_samples          bigint           NOT NULL CHECK (min_samples >= 0),
    within               interval         NOT NULL CHECK (within > interval '0'),
    breach_at            timestamptz      NOT NULL,
    baseline             double precision,
    threshold            double precision,
    opened_at            timestamptz      NOT NULL,
    deadline             timestamptz      NOT NULL CHECK (deadline >= opened_at),
    outcome              text             CHECK (outcome IN ('recovered', 'not_recovered', 'inconclusive')),
    observed             double precision,
    sample_count         bigint           CHECK (sample_count >= 0),
    decided_at           timestamptz,
    reason               text             CHECK (char_length(reason) BETWEEN 1 AND 1000),
    evidence             jsonb            NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(evidence) = 'object'),
    CONSTRAINT retrain_verification_metric_rule CHECK (
        (basis = 'none' AND metric IS NULL)
        OR (basis <> 'none' AND metric IS NOT NULL AND aggregate IS NOT NULL AND direction IS NOT NULL
            AND (window_length IS NULL) <> (window_snapshots IS NULL))),
    CONSTRAINT retrain_verification_decided CHECK (
        (outcome IS NULL AND decided_at IS NULL AND reason IS NULL)
        OR (outcome IS NOT NULL AND decided_at IS NOT NULL AND reason IS NOT NULL))
);
COMMENT ON TABLE orchestrator.retrain_verification IS 'Post-deploy verification of a policy''s retrain, one row per experiment: opened when the version the experiment produced first became active, decided once (recovered, not_recovered or inconclusive) by the clustered policy job. Never changes a version''s status: a not_recovered outcome only suggests a rollback (models rollback).';
COMMENT ON COLUMN orchestrator.retrain_verification.experiment_id IS 'The policy-enqueued experiment whose version is verified (orchestrator.experiment.id); one verification per experiment.';
COMMENT ON COLUMN orchestrator.retrain_verification.policy_id IS 'The policy that enqueued the experiment (orchestrator.retrain_policy.id); while the verification is open this policy does not fire again for the model.';
COMMENT ON COLUMN orchestrator.retrain_verification.policy_version_id IS 'The policy version whose firing enqueued the experiment (its verify: or condition is the rule applied).';
COMMENT ON COLUMN orchestrator.retrain_verification.model_id IS 'The model (orchestrator.model.id).';
COMMENT ON COLUMN orchestrator.retrain_verification.model_version_id IS 'The new version: produced by the experiment, verified from when it became active (orchestrator.model_version.id).';
COMMENT ON COLUMN orchestrator.retrain_verification.previous_version_id IS 'The version that was active until the new one replaced it (retired in the same transaction); NULL when none was active.';
COMMENT ON COLUMN orchestrator.retrain_verification.basis IS 'Where the rule comes from: verify (the policy''s verify: key), condition (the policy''s first threshold or drop condition, for policies without verify:) or none (the policy has no metric condition: decided inconclusive at once).';
COMMENT ON COLUMN orchestrator.retrain_verification.metric IS 'The metric judged, e.g. accuracy; NULL when basis is none.';
COMMENT ON COLUMN orchestrator.retrain_verification.aggregate IS 'How the window''s values are combined: weighted_mean (sample-weighted, always for verify:) or the condition''s aggregate.';
COMMENT ON COLUMN orchestrator.retrain_verification.direction IS 'Which way is better: maximize (the policy fires below a line, or on a drop) or minimize (it fires above a line).';
COMMENT ON COLUMN orchestrator.retrain_verification.window_length IS 'The judged window as a duration: the latest window_length of the new version''s snapshots, judged once that long has passed since activation. NULL when the window is counted in snapshots.';
COMMENT ON COLUMN orchestrator.retrain_verification.window_snapshots IS 'The judged window as the new version''s last N snapshots since activation (a condition written with snapshots: N); NULL when the window is a duration.';
COMMENT ON COLUMN orchestrator.retrain_verification.min_samples IS 'The judged window must hold at least this many samples (sum of sample_count) before an outcome is decided.';
COMMENT ON COLUMN orchestrator.retrain_verification.within IS 'How long after activation the verification may wait for enough samples (deadline = opened_at + within); past it, the outcome is inconclusive.';
COMMENT ON COLUMN orchestrator.retrain_verification.breach_at IS 'When the policy fired: the evaluated_at of the firing evaluation that enqueued the experiment.';
COMMENT ON COLUMN orchestrator.retrain_verification.baseline IS 'The metric before the retrain: the previous version''s value (same aggregate and window) ending at breach_at; NULL when it had no snapshots there.';
COMMENT ON COLUMN orchestrator.retrain_verification.threshold IS 'The line production must be back on the good side of: the policy''s threshold condition on the metric (its resolve line when given); NULL when the policy has no threshold on the metric.';
COMMENT ON COLUMN orchestrator.retrain_verification.opened_at IS 'When the new version became active (the at of its model_version_event to active).';
COMMENT ON COLUMN orchestrator.retrain_verification.deadline IS 'opened_at + within: without enough samples by then, the outcome is inconclusive.';
COMMENT ON COLUMN orchestrator.retrain_verification.outcome IS 'NULL while open; then recovered (on the good side of threshold and not worse than baseline), not_recovered (rollback suggested) or inconclusive (too few samples by the deadline, or nothing to compare with).';
COMMENT ON COLUMN orchestrator.retrain_verification.observed IS 'The new version''s value of the metric over the judged window (for inconclusive: over what the window held at the deadline, if anything).';
COMMENT ON COLUMN orchestrator.retrain_verification.sample_count IS 'The samples in the judged window (sum of the snapshots'' sample_count).';
COMMENT ON COLUMN orchestrator.retrain_verification.decided_at IS 'The evaluation time the outcome was decided at (the policy job''s clock); NULL while open.';
COMMENT ON COLUMN orchestrator.retrain_verification.reason IS 'The outcome in words, e.g. weighted_mean(accuracy, 6h) 0.91 is back at or above 0.85 and not worse than the baseline 0.80.';
COMMENT ON COLUMN orchestrator.retrain_verification.evidence IS 'What the verification rested on, as JSON: the rule, the baseline''s snapshots, and once decided the judged window (from, to), its snapshots and samples, each comparison, and the suggestion (rollback suggested) for not_recovered.';

-- The enqueue guard and the open-verifications gauge look up open rows by (policy, model).
CREATE INDEX retrain_verification_open ON orchestrator.retrain_verification (policy_id, model_id) WHERE outcome IS NULL;
COMMENT ON INDEX orchestrator.retrain_verification_open IS 'The open verifications, by (policy, model): the enqueue guard''s lookup.';

-- The policy job looks for activations of experiment-produced versions that have no verification yet.
CREATE INDEX model_version_event_activations ON orchestrator.model_version_event (model_version_id, id) WHERE to_status = 'active';
COMMENT ON INDEX orchestrator.model_version_event_activations IS 'Changes to active, by version: where post-deploy verification finds the activations to verify.';
