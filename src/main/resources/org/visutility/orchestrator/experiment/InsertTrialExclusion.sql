-- One exclusion or inclusion; the unique (trial_id, sequence) refuses a concurrent duplicate.
INSERT INTO orchestrator.trial_exclusion_event (trial_id, experiment_id, trial_number, sequence, action, actor, reason,
                                                previous_best_trial_number, previous_best_score, best_trial_number, best_score)
VALUES (:trial, :experiment, :number, :sequence, :action, :actor, :reason,
        :previousBestNumber, :previousBestScore, :bestNumber, :bestScore)
RETURNING id, at
