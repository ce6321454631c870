package org.visutility.orchestrator.tuning.strategy;

import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.RunningTrial;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A strategy that learns from earlier experiments' trials ({@link WarmStartUse#LEARNS}) given them as
 * its oldest observations: the P prior trials take the numbers 0..P−1 (oldest first) and this
 * experiment's trial k is seen as P + k, finished or running, so the strategy ranks, groups and weighs
 * them all together (a strategy that weighs by age weighs the earlier rounds least). The number a
 * proposal is asked for is passed unchanged, so random streams still come from (seed, k).
 */
public final class WarmStartedStrategy implements SearchStrategy {
    private final SearchStrategy strategy;
    private final List<FinishedTrial> prior;
    /** The trials of this experiment seen so far, as given, and the same renumbered after the prior ones. */
    private final List<FinishedTrial> given = new ArrayList<>();
    private final List<FinishedTrial> seen = new ArrayList<>();

    /** @param prior the earlier trials, oldest first (their numbers are replaced) */
    public WarmStartedStrategy(SearchStrategy strategy, List<FinishedTrial> prior) {
        this.strategy = strategy;
        this.prior = new ArrayList<>(prior.size());
        for (int i = 0; i < prior.size(); i++) {
            FinishedTrial t = prior.get(i);
            this.prior.add(new FinishedTrial(i, t.params(), t.status(), t.score(), t.reports(), t.metrics()));
        }
        seen.addAll(this.prior);
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished) {
        return suggest(number, finished, List.of());
    }

    @Override
    public Optional<Params> suggest(int number, List<FinishedTrial> finished, List<RunningTrial> running) {
        List<RunningTrial> shiftedRunning = new ArrayList<>(running.size());
        for (RunningTrial r : running) shiftedRunning.add(new RunningTrial(r.number() + prior.size(), r.params()));
        return strategy.suggest(number, observations(finished), shiftedRunning);
    }

    /** The prior trials then {@code finished} renumbered; the engine's list only grows, so only new trials are converted. */
    private List<FinishedTrial> observations(List<FinishedTrial> finished) {
        boolean extends_ = finished.size() >= given.size();
        for (int i = 0; extends_ && i < given.size(); i++) extends_ = finished.get(i) == given.get(i);
        if (!extends_) {
            given.clear();
            seen.subList(prior.size(), seen.size()).clear();
        }
        for (int i = given.size(); i < finished.size(); i++) {
            FinishedTrial t = finished.get(i);
            given.add(t);
            seen.add(new FinishedTrial(t.number() + prior.size(), t.params(), t.status(), t.score(), t.reports(), t.metrics()));
        }
        return Collections.unmodifiableList(seen);
    }
}
