package org.visutility.orchestrator.policy.eval;

/** Whether a window holds enough to count as evidence. */
final class Evidence {
    private Evidence() {
    }

    /** Why the window does not count (no snapshots, too few samples), or null when it does. */
    static String shortfall(WindowAggregates.Stats s, long minSamples) {
        if (s == null || s.snapshots() == 0) return "no snapshots in the window";
        if (s.samples() < minSamples) return "too few samples (" + s.samples() + " < min_samples " + minSamples + ")";
        return null;
    }
}
