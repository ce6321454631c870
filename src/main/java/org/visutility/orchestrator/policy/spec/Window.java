package org.visutility.orchestrator.policy.spec;

import org.visutility.orchestrator.config.Durations;

import java.time.Duration;

/**
 * The snapshots a condition looks at, ending at the evaluation time: those observed within a
 * duration, or the last N.
 */
public record Window(Duration duration, Integer snapshots) {
    public Window {
        if ((duration == null) == (snapshots == null)) {
            throw new IllegalArgumentException("a window is either a duration or a number of snapshots");
        }
    }

    public static Window of(Duration duration) {
        return new Window(duration, null);
    }

    public static Window lastSnapshots(int n) {
        return new Window(null, n);
    }

    public String describe() {
        return duration != null ? Durations.format(duration) : "last " + snapshots + " snapshots";
    }
}
