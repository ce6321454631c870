package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import org.visutility.orchestrator.tuning.trainer.TrainerProvenance;
import org.visutility.orchestrator.tuning.trainer.TrainerProvider;
import org.visutility.orchestrator.tuning.trainer.Trainers;

import java.util.List;
import java.util.Optional;

/**
 * What an experiment runs with, beyond its spec: the versions of its strategy and trainer, the
 * seed, the trainer's command line or built-in algorithm, and the dataset's fingerprint. The
 * prepare step takes it once per experiment and records it on the experiment row, where
 * lineage.experiment_lineage shows it.
 */
public record RunProvenance(long strategySeed, String strategyVersion, String trainerType, String trainerVersion,
                            Optional<List<String>> trainerCommand, Optional<String> trainerAlgorithm,
                            Optional<DatasetFingerprint> dataset, String orchestratorVersion) {
    private static final String RECORD = SqlFiles.load(RunProvenance.class, "RecordRunProvenance");

    /** Asks the spec's strategy and trainer providers; reads (hashes) a readable dataset, so call it before locking rows. */
    public static RunProvenance of(ExperimentSpec spec) {
        String strategyVersion = Strategies.all().find(spec.strategy().name()).orElseThrow().version();
        TrainerProvider trainer = Trainers.all().find(spec.trainer().name()).orElseThrow();
        TrainerProvenance what = trainer.provenance(spec.trainer().options());
        return new RunProvenance(spec.strategy().seed(), strategyVersion, trainer.type(), trainer.version(),
                what.command(), what.algorithm(), what.dataset().map(DatasetFingerprint::of), Version.current());
    }

    /** Writes it on the experiment's row (in the caller's transaction). */
    public void record(Handle h, long experimentId) {
        ArrayNode command = JsonNodeFactory.instance.arrayNode();
        trainerCommand.ifPresent(c -> c.forEach(command::add));
        h.createUpdate(RECORD).bind("id", experimentId)
                .bind("strategySeed", strategySeed).bind("strategyVersion", strategyVersion)
                .bind("trainerType", trainerType).bind("trainerVersion", trainerVersion)
                .bind("trainerCommand", trainerCommand.isPresent() ? command.toString() : null)
                .bind("trainerAlgorithm", trainerAlgorithm.orElse(null))
                .bind("datasetLocation", dataset.map(DatasetFingerprint::location).orElse(null))
                .bind("datasetBytes", dataset.map(d -> d.bytes().isPresent() ? d.bytes().getAsLong() : null).orElse(null))
                .bind("datasetSha256", dataset.flatMap(DatasetFingerprint::sha256).orElse(null))
                .bind("orchestratorVersion", orchestratorVersion)
                .execute();
    }
}
