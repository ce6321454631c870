-- Decisions re-checked on today's values. A snapshot revised after a decision used it does not
-- change what the decision read (its evidence keeps the exact revision ids), but analysts need to
-- know whether the decision would still be made on the numbers as they stand. The policy job
-- reviews, each pass, the superseded snapshots not yet reviewed (a bounded batch, claimed with
-- SKIP LOCKED so two nodes never review the same one): it re-evaluates every decision that used
-- one of them at its own instant on today's current values and records the verdict here, once
-- per state of the decision's evidence.

ALTER TABLE orchestrator.metric_snapshot ADD COLUMN decisions_reviewed_at timestamptz;
COMMENT ON COLUMN orchestrator.metric_snapshot.decisions_reviewed_at IS 'When the policy job re-checked, on today''s values, the decisions that used this revision after it was superseded (orchestrator.decision_review); NULL while it is current or not yet reviewed.';
-- The review queue: superseded revisions whose decisions were not re-checked yet. Small by
-- construction (a row leaves it once reviewed), so finding the next batch costs nothing as history grows.
CREATE INDEX metric_snapshot_awaiting_review ON orchestrator.metric_snapshot (superseded_at, id)
    WHERE superseded_at IS NOT NULL AND decisions_reviewed_at IS NULL;

-- Which decisions used a snapshot: a lookup by snapshot id into the evidence arrays.
CREATE INDEX policy_evaluation_evidence ON orchestrator.policy_evaluation USING gin (evidence_snapshot_ids);

CREATE TABLE orchestrator.decision_review (
    id                      bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    evaluation_id           bigint           NOT NULL REFERENCES orchestrator.policy_evaluation (id) ON DELETE CASCADE,
    basis                   text             NOT NULL CHECK (basis IN ('revised_evidence')),
    revised_through         timestamptz      NOT NULL,
    reviewed_at             timestamptz      NOT NULL,
    still_holds             boolean,
    observed_now            double precision,
    superseded_snapshot_ids bigint[]         NOT NULL,
    judged_snapshot_ids     bigint[]         NOT NULL,
    detail                  jsonb            NOT NULL,
    UNIQUE (evaluation_id, basis, revised_through)
);
COMMENT ON TABLE orchestrator.decision_review IS 'A policy decision re-checked on later knowledge: for basis revised_evidence, re-evaluated at its own instant on today''s current values after snapshots it used were revised. One row per state of the decision''s evidence (a decision whose evidence is revised again is reviewed again); the latest is shown in lineage.policy_history.';
COMMENT ON COLUMN orchestrator.decision_review.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.decision_review.evaluation_id IS 'The decision reviewed (orchestrator.policy_evaluation.id).';
COMMENT ON COLUMN orchestrator.decision_review.basis IS 'What prompted the review: revised_evidence (snapshots the decision used were superseded by later revisions).';
COMMENT ON COLUMN orchestrator.decision_review.revised_through IS 'The latest superseded_at among the decision''s evidence when it was reviewed: a review is recorded once per value of it, whichever node or pass gets there first.';
COMMENT ON COLUMN orchestrator.decision_review.reviewed_at IS 'When the policy job reviewed it.';
COMMENT ON COLUMN orchestrator.decision_review.still_holds IS 'Whether the decision would still be made on today''s values at its instant: for a change into pending or firing, every condition still breaches; for resolved, a condition has still recovered; for ok, not every condition breaches. NULL when the conditions cannot be judged now (too few samples, no data, a failing predicate).';
COMMENT ON COLUMN orchestrator.decision_review.observed_now IS 'The deciding condition''s value on today''s values (compare with policy_evaluation.observed); NULL when it cannot be computed.';
COMMENT ON COLUMN orchestrator.decision_review.superseded_snapshot_ids IS 'The snapshots of the decision''s evidence that had been superseded when it was reviewed (the revisions it used that are no longer current).';
COMMENT ON COLUMN orchestrator.decision_review.judged_snapshot_ids IS 'The snapshots (current revisions) the re-evaluation read, in condition order.';
COMMENT ON COLUMN orchestrator.decision_review.detail IS 'The re-evaluation as a JSON object: conditions (one object per condition, as in policy_evaluation.detail: condition, holds, recovered, observed, threshold, evidence_snapshots, note).';
CREATE INDEX decision_review_latest ON orchestrator.decision_review (evaluation_id, revised_through DESC);

INSERT INTO orchestrator.reader_table (table_name, why) VALUES
    ('orchestrator.decision_review', 'policy decisions re-checked on today''s values after their evidence was revised');

-- ------------------------------------------------------------------ policy_history
CREATE OR REPLACE VIEW lineage.policy_history AS
SELECT ev.id               AS evaluation_id,
       p.name              AS policy,
       pv.version          AS policy_version,
       m.name              AS model,
       ev.evaluated_at,
       ev.from_state,
       ev.to_state,
       ev.condition,
       ev.observed,
       ev.threshold,
       ev.evidence_snapshot_ids,
       ev.detail,
       ev.experiment_id,
       p.id                AS policy_id,
       pv.id               AS policy_version_id,
       m.id                AS model_id,
       cond.spec ->> 'metric'    AS condition_metric,
       cond.spec ->> 'aggregate' AS condition_aggregate,
       coalesce(cond.spec ->> 'window', 'last ' || (cond.spec ->> 'snapshots') || ' snapshots') AS condition_window,
       CASE
           WHEN ev.to_state = 'firing' AND ev.from_state IS DISTINCT FROM 'firing'
               THEN CASE WHEN held.by IS NULL THEN 'fired' ELSE 'held_back' END
           WHEN ev.to_state = 'firing' THEN 'enqueued'
           ELSE ev.to_state
       END                 AS event,
       held.by             AS held_back_by,
       held.until          AS held_back_until,
       held.experiment_id  AS blocking_experiment_id,
       CASE WHEN cardinality(ev.evidence_snapshot_ids) > 0 THEN review.evaluation_id IS NOT NULL END AS evidence_revised,
       review.still_holds,
       review.observed_now,
       review.reviewed_at
  FROM orchestrator.policy_evaluation ev
  JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  JOIN orchestrator.retrain_policy p ON p.id = pv.policy_id
  JOIN orchestrator.model m ON m.id = ev.model_id
  -- the deciding condition's spec: the one whose text is the row's condition (or the only one)
  LEFT JOIN LATERAL (
        SELECT w.c AS spec
          FROM jsonb_array_elements(CASE jsonb_typeof(pv.spec -> 'when')
                                        WHEN 'array' THEN pv.spec -> 'when'
                                        WHEN 'object' THEN jsonb_build_array(pv.spec -> 'when')
                                        ELSE '[]'::jsonb END) WITH ORDINALITY w(c, i)
         WHERE jsonb_typeof(w.c) = 'object'
           AND (ev.detail -> 'conditions' -> (w.i::int - 1) ->> 'condition' = ev.condition
                OR jsonb_typeof(pv.spec -> 'when') = 'object' OR jsonb_array_length(pv.spec -> 'when') = 1)
         ORDER BY w.i LIMIT 1) cond ON true
  -- why a firing did not enqueue: detail.held_back as the policy job records it, or, for rows
  -- recorded before it did, read from the guard's words
  LEFT JOIN LATERAL (
        SELECT CASE WHEN hb IS NOT NULL THEN hb ->> 'by'
                    WHEN guard ~ '^experiment [0-9]+ is open' THEN 'open_experiment'
                    WHEN guard ~ '^verification of experiment [0-9]+ is open' THEN 'open_verification'
                    WHEN guard ~ '^cooldown ' THEN 'cooldown'
                    WHEN guard IS NOT NULL THEN 'other' END AS by,
               CASE WHEN hb IS NOT NULL THEN (hb ->> 'until')::timestamptz
                    ELSE (substring(guard FROM '(?:, until|judged until) ([0-9T:.+-]+Z?)'))::timestamptz END AS until,
               CASE WHEN hb IS NOT NULL THEN (hb ->> 'experiment_id')::bigint
                    ELSE (substring(guard FROM '^(?:verification of )?experiment ([0-9]+) is open'))::bigint END AS experiment_id
          FROM (SELECT CASE WHEN jsonb_typeof(ev.detail -> 'held_back') = 'object' THEN ev.detail -> 'held_back' END AS hb,
                       ev.detail ->> 'guard' AS guard) g
         WHERE ev.to_state = 'firing') held ON true
  -- the latest review of the decision on today's values, once any of its evidence was revised
  LEFT JOIN LATERAL (
        SELECT r.evaluation_id, r.still_holds, r.observed_now, r.reviewed_at
          FROM orchestrator.decision_review r
         WHERE r.evaluation_id = ev.id AND r.basis = 'revised_evidence'
         ORDER BY r.revised_through DESC, r.id DESC
         LIMIT 1) review ON true;
COMMENT ON COLUMN lineage.policy_history.evidence_revised IS 'Whether any snapshot the decision used has since been superseded by a later revision (as found by the policy job''s review, at most a policy interval after the revision); NULL for a decision with no evidence (staleness).';
COMMENT ON COLUMN lineage.policy_history.still_holds IS 'Whether the decision would still be made on today''s values for the same instant and window (orchestrator.decision_review.still_holds of its latest review): true or false once its evidence was revised; NULL when nothing it used was revised or it cannot be judged now.';
COMMENT ON COLUMN lineage.policy_history.observed_now IS 'The deciding condition''s value on today''s values, from the latest review (compare with observed); NULL when nothing it used was revised.';
COMMENT ON COLUMN lineage.policy_history.reviewed_at IS 'When the decision was last re-checked on today''s values; NULL when it never needed to be.';
