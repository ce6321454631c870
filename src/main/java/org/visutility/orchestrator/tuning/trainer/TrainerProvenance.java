package org.visutility.orchestrator.tuning.trainer;

import java.util.List;
import java.util.Optional;

/**
 * What a trainer runs and reads, for lineage: either the command line of an external program or
 * the name of a built-in algorithm, and the dataset when the trainer names one.
 */
public record TrainerProvenance(Optional<List<String>> command, Optional<String> algorithm, Optional<DatasetSource> dataset) {
    public TrainerProvenance {
        command = command.map(List::copyOf);
    }

    public static TrainerProvenance command(List<String> command, Optional<DatasetSource> dataset) {
        return new TrainerProvenance(Optional.of(command), Optional.empty(), dataset);
    }

    public static TrainerProvenance algorithm(String algorithm, Optional<DatasetSource> dataset) {
        return new TrainerProvenance(Optional.empty(), Optional.of(algorithm), dataset);
    }
}
