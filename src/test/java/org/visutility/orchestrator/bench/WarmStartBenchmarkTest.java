package org.visutility.orchestrator.bench;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.tuning.Direction;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of {@code bench warmstart} with logic: the rounds' shifted data and the trials a round needed. */
class WarmStartBenchmarkTest {
    private static final OptionalDouble NONE = OptionalDouble.empty();

    private static OptionalDouble s(double v) {
        return OptionalDouble.of(v);
    }

    @Test
    void trialsToReachCountsUpToAndIncludingTheFirstTrialAtLeastAsGoodAsTheGoal() {
        List<OptionalDouble> scores = List.of(s(0.80), NONE, s(0.91), s(0.95), s(0.97));

        assertThat(TrialsToReach.of(scores, 0.95, Direction.MAXIMIZE)).isEqualTo(OptionalInt.of(4));
        assertThat(TrialsToReach.of(scores, 0.80, Direction.MAXIMIZE)).isEqualTo(OptionalInt.of(1));
    }

    @Test
    void trialsToReachIsEmptyWhenNoTrialReachesTheGoalAndFailedTrialsNeverReach() {
        assertThat(TrialsToReach.of(List.of(s(0.5), NONE, s(0.7)), 0.71, Direction.MAXIMIZE)).isEmpty();
        assertThat(TrialsToReach.of(List.of(NONE, NONE), 0.0, Direction.MAXIMIZE)).isEmpty();
    }

    @Test
    void trialsToReachFollowsTheDirectionWhenMinimizing() {
        List<OptionalDouble> losses = List.of(s(0.4), s(0.3), s(0.1));

        assertThat(TrialsToReach.of(losses, 0.3, Direction.MINIMIZE)).isEqualTo(OptionalInt.of(2));
        assertThat(TrialsToReach.best(losses, Direction.MINIMIZE)).isEqualTo(s(0.1));
        assertThat(TrialsToReach.best(losses, Direction.MAXIMIZE)).isEqualTo(s(0.4));
    }

    @Test
    void theMedianCountsASeedThatNeverReachedAsWorseThanAnyThatDid() {
        double[] sorted = {1, 2, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        assertThat(WarmStartBenchmark.median(sorted)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(WarmStartBenchmark.median(new double[]{1, 2, 4, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY})).isEqualTo(4);
        assertThat(WarmStartBenchmark.median(new double[]{1, 2, 4, 8})).isEqualTo(3);
    }

    @Test
    void aRoundsDataIsTheSameForTheSameSeedAndRoundAndDiffersOtherwise() {
        RoundShift digits = RoundShift.digits();
        assertThat(digits.size()).isEqualTo(RoundShift.DIGITS_ROWS);

        List<String> once = digits.round(3, 2, 100);
        assertThat(digits.round(3, 2, 100)).isEqualTo(once);
        assertThat(once).hasSize(101);
        assertThat(once.get(0)).startsWith("px0,").endsWith(",label");
        assertThat(digits.round(4, 2, 100)).isNotEqualTo(once);
        assertThat(digits.round(3, 3, 100)).isNotEqualTo(once);
    }

    @Test
    void theFirstRoundIsUnnoisedAndLaterRoundsMovePixelsWithinTheirRange() {
        RoundShift digits = RoundShift.digits();
        double[] first = pixels(digits.round(0, 1, 200));
        double[] third = pixels(digits.round(0, 3, 200));

        // round 1 keeps the shipped whole-number pixels; round 3's noise makes fractional ones, still within 0-16
        assertThat(Arrays.stream(first).allMatch(p -> p == Math.rint(p))).isTrue();
        assertThat(Arrays.stream(third).filter(p -> p != Math.rint(p)).count()).isGreaterThan(third.length / 4);
        assertThat(Arrays.stream(third).allMatch(p -> p >= 0 && p <= 16)).isTrue();
    }

    @Test
    void aRoundRefusesARowCountOutsideTheData() {
        RoundShift digits = RoundShift.digits();
        assertThatThrownBy(() -> digits.round(0, 1, RoundShift.DIGITS_ROWS + 1)).hasMessageContaining("rows must be from 1 to");
        assertThatThrownBy(() -> digits.round(0, 0, 10)).hasMessageContaining("round must be at least 1");
    }

    private static double[] pixels(List<String> lines) {
        return lines.stream().skip(1).flatMap(l -> {
            String[] cells = l.split(",");
            return Arrays.stream(cells, 0, cells.length - 1);
        }).mapToDouble(Double::parseDouble).toArray();
    }
}
