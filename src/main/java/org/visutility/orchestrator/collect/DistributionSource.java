package org.visutility.orchestrator.collect;

/**
 * Input for {@link DistributionIngest}: reads, validates and hands over histograms. A source that
 * finds invalid items throws {@link InvalidSnapshotsException} once it has read them all; then nothing is written.
 */
@FunctionalInterface
public interface DistributionSource {
    void feedTo(DistributionSink sink) throws Exception;
}
