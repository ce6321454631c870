package org.visutility.orchestrator.tuning;

/** The metric a trial is scored by and which way is better. */
public record Objective(String metric, Direction direction) {
}
