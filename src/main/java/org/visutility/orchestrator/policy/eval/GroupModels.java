package org.visutility.orchestrator.policy.eval;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The models of each WindowAggregates group, sorted and without repeats, one group after the other
 * (as the statement's model_ids binds them), and the way back from a (group, model) row of the
 * result to the requests that asked for it. Primitive arrays throughout: a pass over a fleet has
 * one request per model, so a boxed map here would cost an object or two per model.
 */
final class GroupModels {
    private final long[] ids;
    /** Where each group's models start in {@link #ids}; group g's are from start[g] to start[g + 1] (exclusive). */
    private final int[] start;
    /** The first request of each position in ids, and each request's next one for the same (group, model), or -1. */
    private final int[] firstRequest;
    private final int[] nextRequest;

    private GroupModels(long[] ids, int[] start, int[] firstRequest, int[] nextRequest) {
        this.ids = ids;
        this.start = start;
        this.firstRequest = firstRequest;
        this.nextRequest = nextRequest;
    }

    /** @param groupOf each request's group, from 0 to groups - 1 */
    static GroupModels of(List<WindowAggregates.Request> requests, int[] groupOf, int groups) {
        int n = groupOf.length;
        int[] counts = new int[groups + 1];
        for (int g : groupOf) counts[g + 1]++;
        for (int g = 0; g < groups; g++) counts[g + 1] += counts[g];
        long[] byGroup = new long[n];
        int[] fill = Arrays.copyOf(counts, groups);
        for (int i = 0; i < n; i++) byGroup[fill[groupOf[i]]++] = requests.get(i).modelId();
        // each group's models sorted, repeats dropped, packed one group after the other
        long[] ids = new long[n];
        int[] start = new int[groups + 1];
        int size = 0;
        for (int g = 0; g < groups; g++) {
            start[g] = size;
            Arrays.sort(byGroup, counts[g], counts[g + 1]);
            for (int i = counts[g]; i < counts[g + 1]; i++) {
                if (size == start[g] || ids[size - 1] != byGroup[i]) ids[size++] = byGroup[i];
            }
        }
        start[groups] = size;
        int[] firstRequest = new int[size];
        Arrays.fill(firstRequest, -1);
        int[] nextRequest = new int[n];
        for (int i = n - 1; i >= 0; i--) { // backwards, so each chain lists its requests in their order
            int p = Arrays.binarySearch(ids, start[groupOf[i]], start[groupOf[i] + 1], requests.get(i).modelId());
            nextRequest[i] = firstRequest[p];
            firstRequest[p] = i;
        }
        return new GroupModels(Arrays.copyOf(ids, size), start, firstRequest, nextRequest);
    }

    long[] ids() {
        return ids;
    }

    /** Each group's first model's position in {@link #ids}, counted from 1 as SQL arrays are. */
    int[] firstPositions() {
        int[] out = new int[start.length - 1];
        for (int g = 0; g < out.length; g++) out[g] = start[g] + 1;
        return out;
    }

    /** Each group's last model's position in {@link #ids}, counted from 1 (before the first when it has none). */
    int[] lastPositions() {
        return Arrays.copyOfRange(start, 1, start.length);
    }

    /** Calls {@code request} with the index of every request of {@code group} for {@code modelId}. */
    void forEachRequest(int group, long modelId, IntConsumer request) {
        int p = Arrays.binarySearch(ids, start[group], start[group + 1], modelId);
        if (p < 0) throw new IllegalStateException("model " + modelId + " was not asked for in window group " + (group + 1));
        for (int i = firstRequest[p]; i >= 0; i = nextRequest[i]) request.accept(i);
    }
}
