package org.visutility.orchestrator.bench;

/**
 * How large a history {@code bench lineage} builds: at size 1, 10 million snapshots of 1,000 models
 * (two segments each, hourly), 2,000 experiments of 50 trials (100,000 trials). Smaller sizes scale
 * every count down (at least one model and two experiments).
 */
record LineageHistorySize(int models, int hoursPerSegment, int experiments, int trialsPerExperiment) {
    static final int FULL_MODELS = 1_000;
    static final long FULL_SNAPSHOTS = 10_000_000L;
    static final int FULL_EXPERIMENTS = 2_000;
    static final int TRIALS_PER_EXPERIMENT = 50;
    static final int SEGMENTS = 2;
    /** The smaller history is this many times smaller. */
    static final int SMALLER = 10;

    static LineageHistorySize scaled(double size) {
        int models = (int) Math.max(1, Math.round(FULL_MODELS * size));
        long snapshots = Math.round(FULL_SNAPSHOTS * size);
        int hours = (int) Math.max(SMALLER, snapshots / ((long) models * SEGMENTS));
        int experiments = (int) Math.max(2, Math.round(FULL_EXPERIMENTS * size));
        return new LineageHistorySize(models, hours, experiments, TRIALS_PER_EXPERIMENT);
    }

    /** The same models with a history {@link #SMALLER} times shorter and fewer experiments. */
    LineageHistorySize smaller() {
        return new LineageHistorySize(models, Math.max(1, hoursPerSegment / SMALLER), Math.max(1, experiments / SMALLER), trialsPerExperiment);
    }

    long snapshots() {
        return (long) models * SEGMENTS * hoursPerSegment;
    }

    long trials() {
        return (long) experiments * trialsPerExperiment;
    }
}
