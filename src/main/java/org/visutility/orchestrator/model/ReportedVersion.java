package org.visutility.orchestrator.model;

import java.time.Instant;

/** A version a snapshot batch reports, with the newest observation of it in the batch. */
public record ReportedVersion(String model, String version, Instant newestObservedAt) {
}
