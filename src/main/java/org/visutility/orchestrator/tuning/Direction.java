package org.visutility.orchestrator.tuning;

import java.util.Locale;

/** Whether a larger or a smaller objective value is better. */
public enum Direction {
    MAXIMIZE, MINIMIZE;

    /** True when {@code candidate} is strictly better than {@code incumbent}. */
    public boolean better(double candidate, double incumbent) {
        return this == MAXIMIZE ? candidate > incumbent : candidate < incumbent;
    }

    /** True when {@code value} reaches {@code goal} (at least it when maximizing, at most it when minimizing). */
    public boolean reaches(double value, double goal) {
        return this == MAXIMIZE ? value >= goal : value <= goal;
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Direction parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
