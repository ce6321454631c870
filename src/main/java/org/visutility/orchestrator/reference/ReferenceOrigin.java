package org.visutility.orchestrator.reference;

/** Where a reference came from, as reference_distribution.origin records it. */
public enum ReferenceOrigin {
    /** The built-in trainer's training data (and held-out predictions for the calibration). */
    TRAINING,
    /** A command trainer's final report. */
    TRAINER_REPORT,
    /** {@code orchestrator references set MODEL VERSION FILE} or its HTTP route. */
    FILE,
    /** Production histograms summed over a window ({@code --from-window}). */
    PRODUCTION_WINDOW;

    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
