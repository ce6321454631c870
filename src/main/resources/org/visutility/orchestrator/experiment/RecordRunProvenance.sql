-- What the run starts with, recorded once by the prepare step (a restart that skips prepare keeps it).
UPDATE orchestrator.experiment
   SET strategy_seed = :strategySeed, strategy_version = :strategyVersion,
       trainer_type = :trainerType, trainer_version = :trainerVersion,
       trainer_command = CAST(:trainerCommand AS jsonb), trainer_algorithm = :trainerAlgorithm,
       dataset_location = :datasetLocation, dataset_bytes = :datasetBytes, dataset_sha256 = :datasetSha256,
       orchestrator_version = :orchestratorVersion, prepared_at = now()
 WHERE id = :id
