package org.visutility.orchestrator.tuning.pruning;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.TrialStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.visutility.orchestrator.tuning.pruning.StepScript.flat;
import static org.visutility.orchestrator.tuning.pruning.StepScript.report;
import static org.visutility.orchestrator.tuning.pruning.StepScript.trial;

class AshaPrunerTest {
    private static final Objective LOSS = new Objective("loss", Direction.MINIMIZE);
    private static final Objective SCORE = new Objective("loss", Direction.MAXIMIZE);

    /** min_resource 1, reduction_factor 3, max_resource 9: rungs at steps 1 and 3. */
    private static AshaPruner asha(Objective objective) {
        return new AshaPruner(objective, Rungs.of(1, 3, 0, OptionalLong.of(9)), 3, n -> true);
    }

    private static List<FinishedTrial> atStep1(TrialStatus status, double... values) {
        List<FinishedTrial> finished = new ArrayList<>();
        for (int i = 0; i < values.length; i++) finished.add(trial(i, status, values[i]));
        return finished;
    }

    @Test
    void atARungOnlyTheTopThirdOfTheValuesRecordedThereGoOnWhenMinimizing() {
        List<FinishedTrial> finished = atStep1(TrialStatus.COMPLETE, 1, 2, 3, 4, 5);
        // six values with the newcomer's: the best two go on
        assertThat(asha(LOSS).shouldPrune(9, flat(1, 1.5), finished)).isFalse();
        assertThat(asha(LOSS).shouldPrune(9, flat(1, 2.0), finished)).as("a tie with the second best goes on").isFalse();
        assertThat(asha(LOSS).shouldPrune(9, flat(1, 2.5), finished)).isTrue();
        assertThat(asha(LOSS).shouldPrune(9, flat(1, 0.5), finished)).isFalse();
    }

    @Test
    void atARungOnlyTheTopThirdOfTheValuesRecordedThereGoOnWhenMaximizing() {
        List<FinishedTrial> finished = atStep1(TrialStatus.COMPLETE, 1, 2, 3, 4, 5);
        assertThat(asha(SCORE).shouldPrune(9, flat(1, 4.5), finished)).isFalse();
        assertThat(asha(SCORE).shouldPrune(9, flat(1, 3.5), finished)).isTrue();
        assertThat(asha(SCORE).shouldPrune(9, flat(1, 1.5), finished)).isTrue();
    }

    @Test
    void successiveRungsPromoteTheTopThirdOfWhatReachedThemAndPruneTheRest() {
        // flat curves over steps 1..9; the rungs are steps 1 and 3
        StepScript minimizing = new StepScript();
        double[] losses = {5, 4, 6, 1, 3, 2};
        for (int n = 0; n < losses.length; n++) minimizing.run(asha(LOSS), n, 9, losses[n]);
        assertThat(minimizing.outcomes).containsExactly(
                "0:complete",   // first at both rungs: nothing to compare with
                "1:complete",   // the best of two at each rung
                "2:pruned@1",   // worst of three at step 1
                "3:complete",   // best everywhere
                "4:pruned@1",   // second of five at step 1, where only the best one goes on
                "5:pruned@3");  // second of six at step 1 goes on (top 2); second of four at step 3 does not

        StepScript maximizing = new StepScript();
        for (int n = 0; n < losses.length; n++) maximizing.run(asha(SCORE), n, 9, -losses[n]);
        assertThat(maximizing.outcomes).isEqualTo(minimizing.outcomes);
    }

    @Test
    void theFirstTrialAtARungGoesOnHoweverBadAndOnlyANaNIsPruned() {
        assertThat(asha(LOSS).shouldPrune(0, flat(1, 1e9), List.of())).isFalse();
        assertThat(asha(LOSS).shouldPrune(0, flat(3, 1e9), List.of())).isFalse();
        assertThat(asha(LOSS).shouldPrune(0, flat(1, Double.NaN), List.of())).isTrue();
    }

    @Test
    void untilARungHoldsReductionFactorValuesOnlyATrialBeatingAllOfThemGoesOn() {
        List<FinishedTrial> one = atStep1(TrialStatus.COMPLETE, 2);
        assertThat(asha(LOSS).shouldPrune(9, flat(1, 1), one)).isFalse();
        assertThat(asha(LOSS).shouldPrune(9, flat(1, 3), one)).isTrue();
    }

    @Test
    void aTrialIsJudgedOnlyAtTheReportThatFirstReachesARungAndNotAtOrPastMaxResource() {
        List<FinishedTrial> finished = atStep1(TrialStatus.COMPLETE, 1, 2, 3, 4, 5);
        // step 2 is no rung: the bad value there is not judged
        assertThat(asha(LOSS).shouldPrune(9, List.of(report(1, 1.0), report(2, 100)), finished)).isFalse();
        // reports that skip steps: step 4 is the first past rung 1 (and rung 3), so it is judged there
        assertThat(asha(LOSS).shouldPrune(9, List.of(report(0, 1.0), report(4, 100)), finished)).isTrue();
        // step 9 is max_resource: no rung there, a trial reaching it completes
        List<FinishedTrial> nine = List.of(trial(0, TrialStatus.COMPLETE, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        assertThat(asha(LOSS).shouldPrune(9, List.of(report(3, 1.0), report(9, 100)), nine)).isFalse();
    }

    @Test
    void theEarlyStoppingRateMovesTheFirstRungUp() {
        Rungs rungs = Rungs.of(1, 3, 1, OptionalLong.empty());
        assertThat(rungs.step(0)).isEqualTo(3);
        assertThat(rungs.step(1)).isEqualTo(9);
        AshaPruner late = new AshaPruner(LOSS, rungs, 3, n -> true);
        List<FinishedTrial> finished = List.of(trial(0, TrialStatus.COMPLETE, 1, 1, 1));
        assertThat(late.shouldPrune(9, flat(1, 100), finished)).as("step 1 is no rung any more").isFalse();
        assertThat(late.shouldPrune(9, flat(3, 100), finished)).isTrue();
    }

    @Test
    void prunedTrialsCountAtTheRungsTheyReachedButFailedOnesNever() {
        // two pruned trials with better values than the newcomer's: with them it is third of three
        List<FinishedTrial> finished = List.of(trial(0, TrialStatus.PRUNED, 1), trial(1, TrialStatus.PRUNED, 2));
        assertThat(asha(LOSS).shouldPrune(9, flat(1, 3), finished)).isTrue();
        List<FinishedTrial> failed = List.of(trial(0, TrialStatus.FAILED, 1), trial(1, TrialStatus.FAILED, 2));
        assertThat(asha(LOSS).shouldPrune(9, flat(1, 3), failed)).isFalse();
    }

    @Test
    void aTrialLeftOutOfTheFinishedListAsTheEngineLeavesOutExcludedOnesNoLongerCounts() {
        AshaPruner asha = asha(LOSS);
        List<FinishedTrial> finished = atStep1(TrialStatus.COMPLETE, 1, 5);
        assertThat(asha.shouldPrune(9, flat(1, 3), finished)).isTrue();
        // trial 0 excluded: the engine passes the list without it, and the rung holds 5 alone
        List<FinishedTrial> withoutExcluded = finished.stream().filter(t -> t.number() != 0).toList();
        assertThat(asha.shouldPrune(9, flat(1, 3), withoutExcluded)).isFalse();
        // included again
        assertThat(asha.shouldPrune(9, flat(1, 3), finished)).isTrue();
    }

    @Test
    void aRestartThatReadsTheFinishedTrialsBackByNumberDecidesAsTheLiveRunDid() {
        // a live run with parallel trials: they finished out of number order
        List<FinishedTrial> live = new ArrayList<>();
        double[][] curves = {{4, 3, 2}, {1, 1, 1}, {6, 5, 5}, {2, 2, 0.5}, {3, 2.5, 2.2}, {5, 4, 3}, {0.5, 0.4, 0.3}};
        int[] finishOrder = {3, 0, 6, 1, 5, 2, 4};
        AshaPruner running = asha(LOSS);
        List<Boolean> liveDecisions = new ArrayList<>();
        List<List<FinishedTrial>> seen = new ArrayList<>();
        for (int n : finishOrder) {
            live.add(trial(n, TrialStatus.COMPLETE, curves[n]));
            seen.add(List.copyOf(live));
            for (double probe = 0; probe <= 7; probe += 0.25) {
                liveDecisions.add(running.shouldPrune(20, flat(1, probe), List.copyOf(live)));
                liveDecisions.add(running.shouldPrune(20, flat(3, probe), List.copyOf(live)));
            }
        }
        // after a restart: a new pruner, each history read back from the database ordered by number
        List<Boolean> restartDecisions = new ArrayList<>();
        for (List<FinishedTrial> history : seen) {
            AshaPruner restarted = asha(LOSS);
            List<FinishedTrial> byNumber = history.stream().sorted(Comparator.comparingInt(FinishedTrial::number)).toList();
            for (double probe = 0; probe <= 7; probe += 0.25) {
                restartDecisions.add(restarted.shouldPrune(20, flat(1, probe), byNumber));
                restartDecisions.add(restarted.shouldPrune(20, flat(3, probe), byNumber));
            }
        }
        assertThat(restartDecisions).isEqualTo(liveDecisions).contains(true, false);
    }
}
