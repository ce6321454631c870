package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.tuning.FinishedTrial;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The finished trials of a run, appended by the trials step and read by strategies (same thread)
 * and pruners (trainer threads) at once. Appending is amortised O(1) and a reader gets a fixed
 * prefix in O(1), so the engine's cost per trial does not grow with the number of trials.
 */
final class History {
    private volatile FinishedTrial[] items = new FinishedTrial[64];
    private volatile int size;

    /** Called by one thread only (the trials step). */
    void append(FinishedTrial trial) {
        FinishedTrial[] current = items;
        if (size == current.length) current = Arrays.copyOf(current, current.length * 2);
        current[size] = trial;
        items = current; // publish the array before the size that covers the new element
        size = size + 1;
    }

    int size() {
        return size;
    }

    /** The trials finished so far; later appends do not show in it. */
    List<FinishedTrial> view() {
        int n = size;
        FinishedTrial[] array = items;
        return new Prefix(array, n);
    }

    private static final class Prefix extends AbstractList<FinishedTrial> implements RandomAccess {
        private final FinishedTrial[] array;
        private final int size;

        Prefix(FinishedTrial[] array, int size) {
            this.array = array;
            this.size = size;
        }

        @Override
        public FinishedTrial get(int index) {
            if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
            return array[index];
        }

        @Override
        public int size() {
            return size;
        }
    }
}
