package org.visutility.orchestrator.tuning.pruning;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.TrialStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.visutility.orchestrator.tuning.pruning.StepScript.flat;
import static org.visutility.orchestrator.tuning.pruning.StepScript.trial;

class HyperbandPrunerTest {
    private static final Objective LOSS = new Objective("loss", Direction.MINIMIZE);

    /** min_resource 1, max_resource 27, reduction_factor 3: s_max 3, four brackets. */
    private static HyperbandPruner hyperband() {
        return new HyperbandPruner(LOSS, 1, 3, 27);
    }

    private static int firstIn(HyperbandPruner h, int bracket, int from) {
        return IntStream.iterate(from, n -> n + 1).filter(n -> h.bracketOf(n) == bracket).findFirst().orElseThrow();
    }

    @Test
    void trialsAreDealtToTheBracketsInLiEtAlsProportionsTheSameWayEveryTime() {
        HyperbandPruner h = hyperband();
        assertThat(h.bracketCount()).isEqualTo(4);
        // n_r = ceil((s_max + 1) * 3^s / (s + 1)) with s = 3 - r: 27, 12, 6, 4 in every 49 trial numbers
        int[] counts = new int[4];
        for (int n = 0; n < 49 * 3; n++) counts[h.bracketOf(n)]++;
        assertThat(counts).containsExactly(81, 36, 18, 12);
        // the same options give the same assignment, whatever order the numbers are asked in
        HyperbandPruner again = hyperband();
        List<Integer> backwards = new ArrayList<>();
        for (int n = 99; n >= 0; n--) backwards.add(again.bracketOf(n));
        List<Integer> forwards = new ArrayList<>();
        for (int n = 99; n >= 0; n--) forwards.add(h.bracketOf(n));
        assertThat(backwards).isEqualTo(forwards);
        // interleaved, not in blocks (the sequence docs/search.md shows)
        assertThat(IntStream.range(0, 10).map(h::bracketOf).toArray()).containsExactly(0, 1, 0, 2, 0, 3, 0, 1, 0, 0);
    }

    @Test
    void aTrialIsComparedOnlyWithTheFinishedTrialsOfItsBracket() {
        HyperbandPruner h = hyperband();
        int a = firstIn(h, 0, 0);
        int b = firstIn(h, 0, a + 1);
        int c = firstIn(h, 0, b + 1);
        int late = firstIn(h, 1, 0);
        // three bracket-0 trials with low losses up to step 3
        List<FinishedTrial> finished = List.of(trial(a, TrialStatus.COMPLETE, 1, 1, 1), trial(b, TrialStatus.COMPLETE, 1, 1, 1),
                trial(c, TrialStatus.COMPLETE, 1, 1, 1));
        int next0 = firstIn(h, 0, c + 1);
        assertThat(h.shouldPrune(next0, flat(1, 5), finished)).as("bracket 0 judges at step 1 against its own").isTrue();
        // a bracket-1 trial has its first rung at step 3 and no bracket-1 trial to compare with there
        assertThat(h.shouldPrune(late, flat(1, 5), finished)).isFalse();
        assertThat(h.shouldPrune(late, flat(3, 5), finished)).isFalse();
        // once a bracket-1 trial did better at step 3, the next one of bracket 1 is judged against it alone
        int late2 = firstIn(h, 1, late + 1);
        List<FinishedTrial> withLate = new ArrayList<>(finished);
        withLate.add(trial(late, TrialStatus.COMPLETE, 2, 2, 2));
        assertThat(h.shouldPrune(late2, flat(3, 5), withLate)).isTrue();
        assertThat(h.shouldPrune(late2, flat(3, 1.5), withLate)).isFalse();
    }

    @Test
    void theLastBracketNeverPrunesItRunsEveryTrialToMaxResource() {
        HyperbandPruner h = hyperband();
        int last = firstIn(h, 3, 0);
        List<FinishedTrial> finished = new ArrayList<>();
        for (int n = 0; n < 60; n++) if (h.bracketOf(n) == 3 && n != last) finished.add(trial(n, TrialStatus.COMPLETE, new double[27]));
        assertThat(finished).isNotEmpty();
        assertThat(h.shouldPrune(last, flat(27, 100), finished)).isFalse();
    }

    @Test
    void theSharesFollowHyperbandsConfigurationCountsForOtherFactorsToo() {
        // reduction factor 2, s_max 5: ceil(6 * 2^s / (s + 1)) for s = 5..0
        HyperbandBrackets brackets = new HyperbandBrackets(2, 5);
        assertThat(IntStream.range(0, brackets.count()).mapToLong(brackets::weight).toArray()).containsExactly(32, 20, 12, 8, 6, 6);
    }

    @Test
    void sMaxIsTheLargestHalvingCountThatFitsBetweenMinAndMaxResource() {
        assertThat(HyperbandBrackets.sMax(1, 3, 27)).isEqualTo(3);
        assertThat(HyperbandBrackets.sMax(1, 3, 26)).isEqualTo(2);
        assertThat(HyperbandBrackets.sMax(2, 2, 3)).isEqualTo(0);
        assertThat(HyperbandBrackets.sMax(1, 2, 1L << 40)).isEqualTo(40);
    }
}
