-- Decisions taken before labels (drift, estimated performance) checked against the labels once
-- they land. The policy job reconciles, each pass, every firing decision of the last 90 days whose
-- condition names a realised check (detail.conditions[].reconcile: metric, direction, line, window):
-- the realised metric over the decision's own window, from ordinary snapshots as they stand today
-- (sample-weighted mean of the current revisions), judged against the line. A row is recorded each
-- time the realised data behind the verdict grows (revised_through: the latest recorded_at read),
-- so the latest row is the current verdict; a pending row (revised_through -infinity) is recorded once,
-- before any label.

ALTER TABLE orchestrator.decision_review DROP CONSTRAINT decision_review_basis_check;
ALTER TABLE orchestrator.decision_review
    ADD CONSTRAINT decision_review_basis_check CHECK (basis IN ('revised_evidence', 'realised_metrics')),
    ADD COLUMN verdict          text CHECK (verdict IN ('confirmed', 'revised', 'pending')),
    ADD COLUMN realised_metric  text,
    ADD COLUMN realised_samples bigint,
    ADD COLUMN window_start     timestamptz,
    ADD COLUMN window_end       timestamptz,
    ADD CONSTRAINT decision_review_verdict_with_basis CHECK ((basis = 'realised_metrics') = (verdict IS NOT NULL));
COMMENT ON COLUMN orchestrator.decision_review.basis IS 'What prompted the review: revised_evidence (snapshots the decision used were superseded by later revisions) or realised_metrics (a decision taken on drift or estimated performance, checked against the realised metric of its window once labels land).';
COMMENT ON COLUMN orchestrator.decision_review.revised_through IS 'revised_evidence: the latest superseded_at among the decision''s evidence when it was reviewed; realised_metrics: the latest recorded_at of the realised values read (-infinity while pending, so the latest row by it is the current verdict). A review is recorded once per value of it, whichever node or pass gets there first.';
COMMENT ON COLUMN orchestrator.decision_review.verdict IS 'realised_metrics only: confirmed (the realised metric breached its line too), revised (it did not) or pending (no realised value for the window yet); NULL for revised_evidence.';
COMMENT ON COLUMN orchestrator.decision_review.realised_metric IS 'realised_metrics only: the metric checked (the condition''s reconcile metric; an estimated condition''s own metric by default).';
COMMENT ON COLUMN orchestrator.decision_review.realised_samples IS 'realised_metrics only: the samples behind the realised value (sum of the snapshots'' sample counts).';
COMMENT ON COLUMN orchestrator.decision_review.window_start IS 'realised_metrics only: the start (exclusive) of the decision''s window the realised metric was read over.';
COMMENT ON COLUMN orchestrator.decision_review.window_end IS 'realised_metrics only: the window''s end (inclusive), the decision''s instant.';
COMMENT ON COLUMN orchestrator.decision_review.observed_now IS 'revised_evidence: the deciding condition''s value on today''s values; realised_metrics: the realised metric over the decision''s window (NULL while pending).';
COMMENT ON COLUMN orchestrator.decision_review.still_holds IS 'revised_evidence: whether the decision would still be made on today''s values at its instant (NULL when the conditions cannot be judged now); realised_metrics: true when confirmed, false when revised, NULL while pending.';
COMMENT ON COLUMN orchestrator.decision_review.judged_snapshot_ids IS 'The snapshots (current revisions) the re-evaluation read, in condition order; realised_metrics: the snapshots whose values made the realised metric.';

-- The decisions a pass reconciles: firing decisions, recent first.
CREATE INDEX policy_evaluation_firing_time ON orchestrator.policy_evaluation (evaluated_at)
    WHERE to_state = 'firing' AND from_state <> 'firing';

CREATE VIEW lineage.decision_reconciliation AS
SELECT ev.id              AS evaluation_id,
       p.name             AS policy,
       pv.version         AS policy_version,
       m.name             AS model,
       ev.evaluated_at,
       ev.condition,
       ev.observed,
       ev.threshold,
       coalesce(r.verdict, 'pending') AS verdict,
       r.realised_metric,
       r.observed_now     AS realised_value,
       r.realised_samples,
       rc ->> 'direction' AS realised_direction,
       (rc ->> 'line')::double precision AS realised_line,
       coalesce(r.window_start, ev.evaluated_at - make_interval(secs => (rc ->> 'window_seconds')::double precision)) AS window_start,
       ev.evaluated_at    AS window_end,
       r.reviewed_at,
       r.judged_snapshot_ids AS realised_snapshot_ids,
       ev.experiment_id,
       p.id               AS policy_id,
       m.id               AS model_id
  FROM orchestrator.policy_evaluation ev
  JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  JOIN orchestrator.retrain_policy p ON p.id = pv.policy_id
  JOIN orchestrator.model m ON m.id = ev.model_id
 CROSS JOIN LATERAL (
        SELECT c -> 'reconcile' AS rc
          FROM jsonb_array_elements(ev.detail -> 'conditions') WITH ORDINALITY x(c, i)
         WHERE jsonb_typeof(c -> 'reconcile') = 'object'
         ORDER BY x.i LIMIT 1) cond
  LEFT JOIN LATERAL (
        SELECT d.verdict, d.realised_metric, d.observed_now, d.realised_samples, d.window_start, d.reviewed_at, d.judged_snapshot_ids
          FROM orchestrator.decision_review d
         WHERE d.evaluation_id = ev.id AND d.basis = 'realised_metrics'
         ORDER BY d.revised_through DESC, d.id DESC
         LIMIT 1) r ON true
 WHERE ev.to_state = 'firing' AND ev.from_state <> 'firing';
COMMENT ON VIEW lineage.decision_reconciliation IS 'Each policy decision to fire taken on drift or estimated performance (before labels), checked against the realised metric of its window once labels landed: confirmed, revised or pending, with the realised value.';
COMMENT ON COLUMN lineage.decision_reconciliation.evaluation_id IS 'The decision (orchestrator.policy_evaluation.id).';
COMMENT ON COLUMN lineage.decision_reconciliation.policy IS 'The policy''s name.';
COMMENT ON COLUMN lineage.decision_reconciliation.policy_version IS 'The policy version that decided.';
COMMENT ON COLUMN lineage.decision_reconciliation.model IS 'The model''s name.';
COMMENT ON COLUMN lineage.decision_reconciliation.evaluated_at IS 'When the decision was taken.';
COMMENT ON COLUMN lineage.decision_reconciliation.condition IS 'The deciding condition, as described when it fired.';
COMMENT ON COLUMN lineage.decision_reconciliation.observed IS 'What the condition observed then (a drift score, a share of drifted features or an estimated metric).';
COMMENT ON COLUMN lineage.decision_reconciliation.threshold IS 'The line it crossed.';
COMMENT ON COLUMN lineage.decision_reconciliation.verdict IS 'confirmed (the realised metric breached its line too), revised (it did not) or pending (no realised value for the window yet, or not reconciled yet).';
COMMENT ON COLUMN lineage.decision_reconciliation.realised_metric IS 'The realised metric checked; NULL until the first reconciliation.';
COMMENT ON COLUMN lineage.decision_reconciliation.realised_value IS 'Its sample-weighted mean over the decision''s window, on today''s values; NULL while pending.';
COMMENT ON COLUMN lineage.decision_reconciliation.realised_samples IS 'The samples behind the realised value.';
COMMENT ON COLUMN lineage.decision_reconciliation.realised_direction IS 'below or above: the side of the line that confirms the decision.';
COMMENT ON COLUMN lineage.decision_reconciliation.realised_line IS 'The realised metric''s line.';
COMMENT ON COLUMN lineage.decision_reconciliation.window_start IS 'The start (exclusive) of the decision''s window.';
COMMENT ON COLUMN lineage.decision_reconciliation.window_end IS 'Its end (inclusive): the decision''s instant.';
COMMENT ON COLUMN lineage.decision_reconciliation.reviewed_at IS 'When it was last reconciled; NULL if never.';
COMMENT ON COLUMN lineage.decision_reconciliation.realised_snapshot_ids IS 'The snapshots whose values made the realised metric.';
COMMENT ON COLUMN lineage.decision_reconciliation.experiment_id IS 'The experiment the decision enqueued, if any.';
COMMENT ON COLUMN lineage.decision_reconciliation.policy_id IS 'The policy''s id.';
COMMENT ON COLUMN lineage.decision_reconciliation.model_id IS 'The model''s id.';
