package org.visutility.orchestrator.collect;

/** Where a {@link DistributionSource} puts the valid histograms it reads. */
public interface DistributionSink {
    /** @param position the item's index, line or row, which errors about it will name */
    void add(int position, Distribution distribution);
}
