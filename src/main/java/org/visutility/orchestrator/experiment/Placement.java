package org.visutility.orchestrator.experiment;

import java.util.List;
import java.util.Locale;

/**
 * Where an experiment's trials run (the spec's {@code placement}). {@code budget.parallel} is the
 * experiment's concurrency wherever they run.
 */
public enum Placement {
    /** Not given: across the cluster when more than one node is alive when the trials step starts, else on the owner. */
    AUTO,
    /** On the node that owns the run, as before the cluster could share one experiment. */
    LOCAL,
    /** Sent to the nodes' trial workers (the owner's own worker included), whatever the number of live nodes. */
    CLUSTER;

    public static final List<String> SPELLINGS = List.of("auto", "local", "cluster");

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Placement parse(String spelling) {
        return valueOf(spelling.toUpperCase(Locale.ROOT));
    }
}
