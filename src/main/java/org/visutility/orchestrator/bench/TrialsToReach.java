package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.tuning.Direction;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.List;

/** How many trials a round needed before one of them scored at least as well as a goal. */
final class TrialsToReach {
    private TrialsToReach() {
    }

    /**
     * The 1-based count of trials up to and including the first whose score reaches {@code goal}
     * ({@link Direction#reaches}), or empty when none does; a trial without a score (failed, pruned)
     * counts as a trial spent but never reaches.
     */
    static OptionalInt of(List<OptionalDouble> scores, double goal, Direction direction) {
        for (int i = 0; i < scores.size(); i++) {
            OptionalDouble s = scores.get(i);
            if (s.isPresent() && direction.reaches(s.getAsDouble(), goal)) return OptionalInt.of(i + 1);
        }
        return OptionalInt.empty();
    }

    /** The best score among {@code scores}, or empty when none has one. */
    static OptionalDouble best(List<OptionalDouble> scores, Direction direction) {
        OptionalDouble best = OptionalDouble.empty();
        for (OptionalDouble s : scores) {
            if (s.isPresent() && (best.isEmpty() || direction.better(s.getAsDouble(), best.getAsDouble()))) best = s;
        }
        return best;
    }
}
