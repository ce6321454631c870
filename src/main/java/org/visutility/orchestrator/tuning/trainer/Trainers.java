package org.visutility.orchestrator.tuning.trainer;

import org.visutility.orchestrator.tuning.NamedServices;

/** The trainers on the class path, by type. */
public final class Trainers {
    private static final NamedServices<TrainerProvider> PROVIDERS =
            NamedServices.load(TrainerProvider.class, "trainer type", TrainerProvider::type);

    private Trainers() {
    }

    public static NamedServices<TrainerProvider> all() {
        return PROVIDERS;
    }
}
