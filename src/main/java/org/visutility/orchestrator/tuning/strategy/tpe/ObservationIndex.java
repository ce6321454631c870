package org.visutility.orchestrator.tuning.strategy.tpe;

import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Objective;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The finished trials TPE learns from, kept in the orders it needs — best first, by trial
 * number, and on each parameter by value — and updated as trials finish instead of sorted again
 * for every proposal: a new trial is turned into an observation once and inserted into each
 * order (binary search, one array shift). The engine hands over a list that only grows; any
 * other list (one that lost or changed a trial) rebuilds the index, so proposals never depend
 * on what was seen before.
 */
final class ObservationIndex {
    static final Comparator<Observation> BY_NUMBER = Comparator.comparingInt(Observation::number);

    private record Entry(FinishedTrial source, Observation observation) {
    }

    private final List<Dimension> dims;
    private final Objective objective;
    private final TpeOptions.FailedTrials failed;
    private final Map<Integer, Entry> byNumber = new HashMap<>();
    private final List<Observation> ranked = new ArrayList<>();
    private final List<Observation> chronological = new ArrayList<>();
    private final List<List<Observation>> byValue = new ArrayList<>();
    private final List<Comparator<Observation>> valueOrders = new ArrayList<>();

    ObservationIndex(List<Dimension> dims, Objective objective, TpeOptions.FailedTrials failed) {
        this.dims = dims;
        this.objective = objective;
        this.failed = failed;
        for (int d = 0; d < dims.size(); d++) {
            byValue.add(new ArrayList<>());
            valueOrders.add(valueOrder(d));
        }
    }

    /** On dimension d: by value, equal values by trial number. */
    static Comparator<Observation> valueOrder(int d) {
        return Comparator.<Observation>comparingDouble(o -> o.x()[d]).thenComparingInt(Observation::number);
    }

    /** Brings the index to exactly {@code finished}. */
    void sync(List<FinishedTrial> finished) {
        List<FinishedTrial> fresh = new ArrayList<>();
        int known = 0;
        for (FinishedTrial t : finished) {
            Entry e = byNumber.get(t.number());
            if (e == null) {
                fresh.add(t);
            } else if (e.source() == t || e.source().equals(t)) {
                known++;
            } else {
                rebuild(finished);
                return;
            }
        }
        if (known != byNumber.size()) {
            rebuild(finished);
            return;
        }
        for (FinishedTrial t : fresh) add(t);
    }

    private void rebuild(List<FinishedTrial> finished) {
        byNumber.clear();
        ranked.clear();
        chronological.clear();
        byValue.forEach(List::clear);
        finished.forEach(this::add);
    }

    private void add(FinishedTrial t) {
        if (byNumber.containsKey(t.number())) return;
        Observation o = Observation.of(t, dims, objective, failed);
        byNumber.put(t.number(), new Entry(t, o));
        if (o == null) return;
        insert(chronological, o, BY_NUMBER);
        if (o.ranked()) insert(ranked, o, Observation.RANKING);
        for (int d = 0; d < dims.size(); d++) insert(byValue.get(d), o, valueOrders.get(d));
    }

    private static void insert(List<Observation> list, Observation o, Comparator<Observation> order) {
        int at = Collections.binarySearch(list, o, order);
        list.add(at < 0 ? -at - 1 : at, o);
    }

    /** Complete and pruned trials, best first. */
    List<Observation> ranked() {
        return Collections.unmodifiableList(ranked);
    }

    /** Every observation (ranked, and failed ones when they count), by trial number. */
    List<Observation> chronological() {
        return Collections.unmodifiableList(chronological);
    }

    /** Every observation by its value on dimension d, equal values by trial number. */
    List<Observation> byValue(int d) {
        return Collections.unmodifiableList(byValue.get(d));
    }
}
