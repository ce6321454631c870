package org.visutility.orchestrator.tuning.pareto;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Non-dominated sort, crowding distance and hypervolume on sets worked out by hand (both objectives minimised). */
class ParetoArithmeticTest {
    private static double[] p(double... v) {
        return v;
    }

    @Test
    void theNonDominatedSortRanksAHandWorkedSetFrontByFront() {
        // A(1,5) B(2,3) C(4,1) trade off; D(3,4) is dominated by B; E(4,4) by D; F(5,5) by E
        List<double[]> points = List.of(p(1, 5), p(2, 3), p(4, 1), p(3, 4), p(4, 4), p(5, 5));
        assertThat(NonDominatedSort.ranks(points)).containsExactly(0, 0, 0, 1, 2, 3);
        assertThat(NonDominatedSort.front(points)).containsExactly(0, 1, 2);
    }

    @Test
    void equalPointsShareTheirRankAndNeitherDominatesTheOther() {
        List<double[]> points = List.of(p(2, 2), p(2, 2), p(3, 3));
        assertThat(NonDominatedSort.ranks(points)).containsExactly(0, 0, 1);
        assertThat(Dominance.dominates(p(2, 2), p(2, 2))).isFalse();
        assertThat(Dominance.dominates(p(2, 2), p(2, 3))).isTrue();
        assertThat(Dominance.dominates(p(1, 3), p(2, 2))).isFalse();
    }

    @Test
    void crowdingDistanceGivesTheEndsInfinityAndInnerPointsTheirNormalisedGaps() {
        // f1 range 10: P2 gets (4-0)/10, P3 (10-1)/10; f2 range 10: P3 gets (6-0)/10, P2 (10-5)/10
        double[] d = CrowdingDistance.of(List.of(p(0, 10), p(1, 6), p(4, 5), p(10, 0)));
        assertThat(d[0]).isInfinite();
        assertThat(d[3]).isInfinite();
        assertThat(d[1]).isCloseTo(0.4 + 0.5, within(1e-12));
        assertThat(d[2]).isCloseTo(0.9 + 0.6, within(1e-12));
        assertThat(CrowdingDistance.of(List.of(p(1, 5), p(2, 3), p(4, 1)))[1]).isCloseTo(3.0 / 3 + 4.0 / 4, within(1e-12));
    }

    @Test
    void hypervolumeOfAStaircaseAndEachPointsContribution() {
        List<double[]> stairs = List.of(p(1, 3), p(2, 2), p(3, 1));
        // slabs y in [1,2): width 1; [2,3): 2; [3,4): 3
        assertThat(Hypervolume.of(stairs, p(4, 4))).isCloseTo(6, within(1e-12));
        assertThat(Hypervolume.contributions(stairs, p(4, 4))).containsExactly(new double[]{1, 1, 1}, within(1e-12));
        // a point outside the reference adds nothing; a dominated one adds nothing
        assertThat(Hypervolume.of(List.of(p(1, 3), p(2, 2), p(3, 1), p(5, 0), p(3, 3)), p(4, 4))).isCloseTo(6, within(1e-12));
    }

    @Test
    void hypervolumeInThreeObjectivesCountsOverlapsOnce() {
        assertThat(Hypervolume.of(List.of(p(1, 1, 1)), p(2, 3, 4))).isCloseTo(6, within(1e-12));
        // boxes of 6 and 4 overlapping in [1,2]x[2,3]x[2,4] = 2
        assertThat(Hypervolume.of(List.of(p(1, 1, 1), p(0, 2, 2)), p(2, 3, 4))).isCloseTo(8, within(1e-12));
    }

    @Test
    void aThirdObjectiveThatAllShareMultipliesTheTwoObjectiveVolume() {
        Random random = new Random(3);
        for (int round = 0; round < 20; round++) {
            List<double[]> two = new ArrayList<>();
            List<double[]> three = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                double a = random.nextDouble();
                double b = random.nextDouble();
                two.add(p(a, b));
                three.add(p(a, b, 0.25));
            }
            assertThat(Hypervolume.of(three, p(1, 1, 2))).isCloseTo(1.75 * Hypervolume.of(two, p(1, 1)), within(1e-9));
        }
    }
}
