package org.visutility.orchestrator.policy.eval;

import java.time.Instant;

/**
 * One feature of a drift (or estimated) condition's window as judged: the window's histograms of the
 * version judged, summed, against its reference. {@code score} is the method's score (chi_square:
 * its statistic), {@code pValue} the chi-square test's; {@code drifted} is null when the feature was
 * not scored, and {@code note} says why. Written to orchestrator.drift_evidence for recorded decisions.
 */
public record FeatureScore(String feature, String method, Double score, Double pValue, long sampleCount, int histograms,
                           long modelVersionId, Long referenceId, Instant windowStart, Instant windowEnd, Boolean drifted,
                           String note) {
}
