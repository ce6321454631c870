package org.visutility.orchestrator.tuning.pruning;

import com.fasterxml.jackson.databind.node.DoubleNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class MedianPrunerTest {
    private static final Objective LOSS = new Objective("loss", Direction.MINIMIZE);
    private static final Params P = Params.of(Map.of("x", DoubleNode.valueOf(0.5)));

    /** Complete trials whose loss at step s is base + s (bases 1..count): the median at step s is (count + 1)/2 + s. */
    private static List<FinishedTrial> history(int count, int steps) {
        List<FinishedTrial> finished = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<IntermediateReport> reports = new ArrayList<>();
            for (int s = 0; s < steps; s++) reports.add(report(s, i + 1 + s));
            finished.add(new FinishedTrial(i, P, TrialStatus.COMPLETE, OptionalDouble.of(i + 1 + steps), reports));
        }
        return finished;
    }

    private static IntermediateReport report(long step, double loss) {
        return new IntermediateReport(step, Map.of("loss", loss));
    }

    /** Reports 0..upTo with the given loss at every step. */
    private static List<IntermediateReport> flat(int upTo, double loss) {
        List<IntermediateReport> reports = new ArrayList<>();
        for (int s = 0; s <= upTo; s++) reports.add(report(s, loss));
        return reports;
    }

    @Test
    void aTrialWorseThanTheMedianAtItsStepIsPrunedAndABetterOneIsSpared() {
        Pruner median = new MedianPruner(LOSS, 5, 0, 1);
        List<FinishedTrial> finished = history(5, 4); // medians: 3, 4, 5, 6 at steps 0..3
        assertThat(median.shouldPrune(9, flat(2, 5.5), finished)).isTrue();
        assertThat(median.shouldPrune(9, flat(2, 4.5), finished)).isFalse();
        assertThat(median.shouldPrune(9, flat(2, 5.0), finished)).as("equal to the median is not worse").isFalse();
    }

    @Test
    void theTrialsBestValueSoFarIsWhatIsCompared() {
        Pruner median = new MedianPruner(LOSS, 5, 0, 1);
        // a dip at step 1 (2.0, better than the median 4) keeps a trial that is at 5.5 by step 2
        List<IntermediateReport> reports = List.of(report(0, 9), report(1, 2.0), report(2, 5.5));
        assertThat(median.shouldPrune(9, reports, history(5, 4))).isFalse();
    }

    @Test
    void nothingIsPrunedDuringTheWarmUp() {
        Pruner median = new MedianPruner(LOSS, 5, 3, 1);
        List<FinishedTrial> finished = history(5, 6);
        assertThat(median.shouldPrune(9, flat(2, 100), finished)).isFalse();
        assertThat(median.shouldPrune(9, flat(3, 100), finished)).isTrue();
    }

    @Test
    void nothingIsPrunedUntilEnoughCompleteTrialsReportedAtThatStep() {
        Pruner median = new MedianPruner(LOSS, 5, 0, 1);
        assertThat(median.shouldPrune(9, flat(2, 100), history(4, 4))).isFalse();
        // five complete trials, but only four of them got to step 5
        List<FinishedTrial> finished = new ArrayList<>(history(4, 8));
        finished.addAll(history(1, 3));
        assertThat(median.shouldPrune(9, flat(5, 100), finished)).isFalse();
        assertThat(median.shouldPrune(9, flat(2, 100), finished)).isTrue();
    }

    @Test
    void prunedAndFailedTrialsDoNotCountTowardTheMedian() {
        Pruner median = new MedianPruner(LOSS, 3, 0, 1);
        List<FinishedTrial> finished = new ArrayList<>(history(3, 3)); // median at step 1: 3
        // two pruned trials with huge values would raise the median to 5 if they counted
        finished.add(new FinishedTrial(7, P, TrialStatus.PRUNED, OptionalDouble.empty(), List.of(report(0, 50), report(1, 50))));
        finished.add(new FinishedTrial(8, P, TrialStatus.FAILED, OptionalDouble.empty(), List.of(report(0, 50), report(1, 50))));
        assertThat(median.shouldPrune(9, flat(1, 4), finished)).isTrue();
    }

    @Test
    void whenMaximizingALowerValueIsWorse() {
        Pruner median = new MedianPruner(new Objective("loss", Direction.MAXIMIZE), 5, 0, 1);
        List<FinishedTrial> finished = history(5, 4); // median 4 at step 1
        assertThat(median.shouldPrune(9, flat(1, 3.5), finished)).isTrue();
        assertThat(median.shouldPrune(9, flat(1, 4.5), finished)).isFalse();
    }

    @Test
    void withAnIntervalOnlyTheFirstReportOfEachIntervalIsJudged() {
        Pruner median = new MedianPruner(LOSS, 5, 0, 3);
        List<FinishedTrial> finished = history(5, 8);
        assertThat(median.shouldPrune(9, flat(2, 100), finished)).as("step 2 is inside the interval [0, 3)").isFalse();
        assertThat(median.shouldPrune(9, flat(3, 100), finished)).as("step 3 starts an interval").isTrue();
        // steps reported sparsely: 1 then 4; step 4 is the first report in [3, 6)
        assertThat(median.shouldPrune(9, List.of(report(1, 100), report(4, 100)), finished)).isTrue();
    }

    @Test
    void theIndexFollowsAGrowingHistoryAndStartsOverForAnotherOne() {
        MedianPruner median = new MedianPruner(LOSS, 5, 0, 1);
        List<FinishedTrial> finished = new ArrayList<>(history(4, 3));
        assertThat(median.shouldPrune(9, flat(1, 100), List.copyOf(finished))).isFalse();
        finished.addAll(history(1, 3));
        assertThat(median.shouldPrune(9, flat(1, 100), List.copyOf(finished))).isTrue();
        assertThat(median.shouldPrune(9, flat(1, 100), history(2, 3))).isFalse();
    }
}
