package org.visutility.orchestrator.outbox;

/** One row an outbox handed to this node to send: its key, its destination, and the attempt this claim counts as. */
public interface Claimed {
    long id();

    String destination();

    /** 1 for the first claim; only the latest claim records a failure (the rows' fence). */
    int attempt();

    /** What it is, for the log: e.g. "OpenLineage START of experiment 7". */
    String describe();
}
