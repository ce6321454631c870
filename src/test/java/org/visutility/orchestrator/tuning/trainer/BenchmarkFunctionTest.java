package org.visutility.orchestrator.tuning.trainer;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.bench.SearchBenchmark;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BenchmarkFunctionTest {
    @Test
    void braninTakesItsKnownMinimumAtEachOfItsThreeMinimisers() {
        BenchmarkFunction b = BenchmarkFunction.BRANIN;
        assertThat(b.value(new double[]{-Math.PI, 12.275})).isCloseTo(0.397887, within(1e-6));
        assertThat(b.value(new double[]{Math.PI, 2.275})).isCloseTo(0.397887, within(1e-6));
        assertThat(b.value(new double[]{9.42478, 2.475})).isCloseTo(0.397887, within(1e-6));
        assertThat(b.minimum()).isEqualTo(0.397887);
    }

    @Test
    void hartmann6TakesItsKnownMinimumAtItsMinimiser() {
        double[] x = {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};
        assertThat(BenchmarkFunction.HARTMANN6.value(x)).isCloseTo(-3.32237, within(1e-5));
    }

    @Test
    void noPointOfTheDomainIsBelowTheKnownMinimum() {
        Random random = new Random(5);
        for (BenchmarkFunction f : SearchBenchmark.FUNCTIONS) {
            int d = f.dimensions().orElseThrow();
            for (int i = 0; i < 100_000; i++) {
                double[] u = new double[d];
                for (int j = 0; j < d; j++) u[j] = random.nextDouble();
                assertThat(f.atPositions(u)).isGreaterThanOrEqualTo(f.minimum() - 1e-5);
            }
        }
    }

    @Test
    void parametersArePlacedOnTheDomainByTheirPositionInTheirRange() {
        // a space spelling Branin's domain evaluates the function as written
        BenchmarkFunction b = BenchmarkFunction.BRANIN;
        assertThat(b.atPositions(new double[]{(Math.PI + 5) / 15, 2.275 / 15})).isCloseTo(0.397887, within(1e-6));
        assertThat(BenchmarkFunction.SPHERE.atPositions(new double[]{0.5, 0.5, 1.0})).isEqualTo(0.25);
    }
}
