-- The challenger gate's verdict on each experiment's candidate version: one row per experiment that
-- registered a candidate, written in the same transaction as the candidate's version event (actor
-- gate) and the experiment's end (experiment.batch.GateTasklet). The primary key makes the decision
-- once: a gate step that runs again after the commit finds its row and writes nothing.
-- Not granted to the database's reader role: analysts read it through a lineage view.

CREATE TABLE orchestrator.gate_result (
    experiment_id        bigint           PRIMARY KEY REFERENCES orchestrator.experiment (id),
    candidate_version_id bigint           NOT NULL REFERENCES orchestrator.model_version (id),
    active_version_id    bigint           REFERENCES orchestrator.model_version (id),
    metric               text,
    direction            text             CHECK (direction IN ('maximize', 'minimize')),
    min_gain             double precision CHECK (min_gain >= 0),
    candidate_score      double precision,
    active_score         double precision,
    verdict              text             NOT NULL CHECK (verdict IN ('approved', 'rejected')),
    reason               text             NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 4000),
    evidence             jsonb            NOT NULL CHECK (jsonb_typeof(evidence) = 'object'),
    decided_at           timestamptz      NOT NULL DEFAULT now(),
    -- a gate has a metric, a direction and a min_gain; no gate has none of them
    CONSTRAINT gate_result_rule CHECK ((metric IS NULL) = (direction IS NULL) AND (metric IS NULL) = (min_gain IS NULL))
);
COMMENT ON TABLE orchestrator.gate_result IS 'The challenger gate''s verdict on an experiment''s candidate version, one row per experiment that registered a candidate: both versions'' scores on the same fresh evaluation data, the rule, the verdict and why. Written with the candidate''s version event (actor gate) and the experiment''s end, in one transaction.';
COMMENT ON COLUMN orchestrator.gate_result.experiment_id IS 'The experiment whose candidate was judged (orchestrator.experiment.id); one verdict per experiment.';
COMMENT ON COLUMN orchestrator.gate_result.candidate_version_id IS 'The candidate version the experiment registered (orchestrator.model_version.id).';
COMMENT ON COLUMN orchestrator.gate_result.active_version_id IS 'The model''s active version it was judged against; NULL when no version was active.';
COMMENT ON COLUMN orchestrator.gate_result.metric IS 'The metric the gate compares (the spec''s gate.metric); NULL when the spec has no gate.';
COMMENT ON COLUMN orchestrator.gate_result.direction IS 'maximize (higher is better) or minimize (gate.direction); NULL when the spec has no gate.';
COMMENT ON COLUMN orchestrator.gate_result.min_gain IS 'How much the candidate had to beat the active version by on the metric (gate.min_gain, >= 0); NULL when the spec has no gate.';
COMMENT ON COLUMN orchestrator.gate_result.candidate_score IS 'The candidate''s value of the metric on the evaluation data; NULL when it was not scored (no gate, or the evaluation failed).';
COMMENT ON COLUMN orchestrator.gate_result.active_score IS 'The active version''s value of the metric on the same data; NULL when there was none or it was not scored.';
COMMENT ON COLUMN orchestrator.gate_result.verdict IS 'approved or rejected; a gate that could not run rejects.';
COMMENT ON COLUMN orchestrator.gate_result.reason IS 'Why, in words: e.g. ''no gate'', ''accuracy 0.91 beats 0.85 by 0.06 >= min_gain 0.01'', ''evaluator failed: ...''.';
COMMENT ON COLUMN orchestrator.gate_result.evidence IS 'The scores behind the verdict: {"candidate": {"version", "metrics"}, "active": {"version", "metrics"} or null, "no_worse": {metric: {"candidate", "active", "ok"}}, "evaluator": "builtin" or "command"}.';
COMMENT ON COLUMN orchestrator.gate_result.decided_at IS 'When the verdict was committed.';

CREATE INDEX gate_result_by_candidate ON orchestrator.gate_result (candidate_version_id);
