-- The gate's verdict on an experiment's candidate; nothing when the experiment has one already
-- (the primary key decides once: a re-run after the commit writes nothing).
INSERT INTO orchestrator.gate_result (experiment_id, candidate_version_id, active_version_id, metric, direction, min_gain,
                                      candidate_score, active_score, verdict, reason, evidence)
VALUES (:experiment, :candidate, :active, :metric, :direction, :minGain, :candidateScore, :activeScore, :verdict, :reason,
        CAST(:evidence AS jsonb))
ON CONFLICT (experiment_id) DO NOTHING
RETURNING experiment_id
