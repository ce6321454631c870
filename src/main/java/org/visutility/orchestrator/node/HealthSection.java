package org.visutility.orchestrator.node;

import java.util.Map;

/**
 * A part of GET /health that a capability adds (the ops module's stuck runs, say), so that the
 * node's health check needs to know no capability. It is asked only while the database is up.
 */
public interface HealthSection {
    /** The key of this section in the health document. */
    String name();

    /** The section's body; a failure is reported in the section, never thrown. */
    Map<String, Object> report();

    /** Whether this report (just made by {@link #report()}) makes the node degraded (GET /health answers 503). */
    default boolean degrades(Map<String, Object> report) {
        return false;
    }
}
