-- What seeds an experiment, written once: the first run to get here wins, the others read its row.
INSERT INTO orchestrator.warm_start (experiment_id, source, max_trials, source_experiment_ids, candidate_trials,
                                     seeded_trials, strategy_use, baseline_trial_number, baseline_version,
                                     baseline_params, note)
VALUES (:experiment, :source, :maxTrials, :sources, :candidates, :seeded, :use, :baselineNumber, :baselineVersion,
        CAST(:baselineParams AS jsonb), :note)
ON CONFLICT (experiment_id) DO NOTHING
RETURNING experiment_id
