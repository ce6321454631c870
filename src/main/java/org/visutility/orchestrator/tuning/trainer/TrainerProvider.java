package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.ProviderVersions;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

import java.util.Optional;

/**
 * A trainer by type ({@code trainer.type} in a spec). Register implementations in
 * {@code META-INF/services/org.visutility.orchestrator.tuning.trainer.TrainerProvider}.
 */
public interface TrainerProvider {
    String type();

    /** Checks the trainer's options ({@code options} is the whole {@code trainer} mapping); records problems under {@code trainer}. */
    void validate(ObjectNode options, Violations violations);

    /**
     * Checks that the trainer can train the hyperparameters of {@code space} (called once the
     * options and the space are each valid); records problems under {@code space} or {@code trainer}.
     * Trainers that pass every parameter through (the command trainer) accept any space.
     */
    default void checkSpace(ObjectNode options, SearchSpace space, Violations violations) {
    }

    /** A trainer for one run of an experiment that searches {@code space}. */
    Trainer create(ObjectNode options, SearchSpace space);

    /** The version of this trainer's code, recorded with every experiment. Default: {@link ProviderVersions#of}. */
    default String version() {
        return ProviderVersions.of(getClass());
    }

    /**
     * What a trainer with these (valid) options runs and reads, as lineage records it: a command
     * line or a built-in algorithm, and the dataset when one is named. Default: the algorithm
     * {@link #type()} and no dataset; a built-in trainer that reads a dataset should say which.
     */
    default TrainerProvenance provenance(ObjectNode options) {
        return TrainerProvenance.algorithm(type(), Optional.empty());
    }
}
