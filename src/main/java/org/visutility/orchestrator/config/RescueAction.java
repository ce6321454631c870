package org.visutility.orchestrator.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What is done with a run whose node is provably gone (setting rescue_action), in the manner of
 * db-scheduler's DeadExecutionHandler. Either way the Spring Batch execution the dead node left
 * STARTED is recovered (marked FAILED) first, so that the run can be restarted later.
 */
public enum RescueAction {
    /** Back to the queue: a node restarts it from its last committed trial. The default. */
    RECOVER_AND_RESTART,
    /** Marked failed, for ops to look at and restart by hand (ops restart ID). */
    MARK_FAILED;

    public static final RescueAction DEFAULT = RECOVER_AND_RESTART;

    static RescueAction parse(Setting setting, String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (RescueAction a : values()) {
            if (a.name().equals(v)) return a;
        }
        throw ConfigException.of(setting.env(), "'" + value + "' is not one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
