package org.visutility.orchestrator.tuning.strategy.tpe;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.tuning.CategoricalParameter;
import org.visutility.orchestrator.tuning.FloatParameter;
import org.visutility.orchestrator.tuning.IntParameter;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The estimators are proper densities (or mass functions) on every kind of parameter, and draws follow them. */
class ParzenEstimatorTest {
    private static final TpeOptions OPTIONS = TpeOptions.defaults();

    /** An estimator from observations given row by row (one array per observation). */
    private static ParzenEstimator estimator(List<Dimension> dims, double[][] rows, double[] weights, TpeOptions options) {
        double[][] columns = new double[dims.size()][rows.length];
        for (int i = 0; i < rows.length; i++) for (int d = 0; d < dims.size(); d++) columns[d][i] = rows[i][d];
        return new ParzenEstimator(dims, columns, null, weights, options, new KernelCache());
    }

    @Test
    void theNormalMassMatchesKnownValuesInTheMiddleAndFarInTheTails() {
        assertThat(Math.exp(Gaussians.logMass(-1, 1))).isCloseTo(0.682689492, within(1e-6));
        assertThat(Math.exp(Gaussians.logMass(0, 2))).isCloseTo(0.477249868, within(1e-6));
        assertThat(Math.exp(Gaussians.logMass(-3, -2))).isCloseTo(0.021400234, within(1e-7));
        // Q(10) = 7.6199e-24: no underflow to log(0), relative precision kept
        assertThat(Gaussians.logMass(10, 40)).isCloseTo(Math.log(7.61985302416e-24), within(1e-5));
        assertThat(Gaussians.logMass(-40, -10)).isCloseTo(Math.log(7.61985302416e-24), within(1e-5));
        // narrow bins: the midpoint rule
        assertThat(Math.exp(Gaussians.logMass(0.5, 0.51))).isCloseTo(0.0035118, within(1e-6));
    }

    @Test
    void aContinuousEstimatorIntegratesToOneOnItsRange() {
        Dimension d = Dimension.of(new FloatParameter("x", -5, 10, false, null));
        ParzenEstimator p = estimator(List.of(d), new double[][]{{-4.9}, {0.3}, {0.5}, {9.0}}, new double[]{1, 1, 1, 1},
                OPTIONS);
        int steps = 200_000;
        double h = 15.0 / steps;
        double sum = 0;
        for (int i = 0; i < steps; i++) sum += Math.exp(p.logPdf(new double[]{-5 + (i + 0.5) * h})) * h;
        assertThat(sum).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void discreteEstimatorsSumToOneOverTheirValues() {
        for (var parameter : List.of(new IntParameter("n", 1, 20, false, 3), new IntParameter("n", 1, 1000, true, 1),
                new FloatParameter("f", 0.0, 1.0, false, 0.1))) {
            Dimension.Numeric d = (Dimension.Numeric) Dimension.of(parameter);
            double[][] obs = {{d.toInternal(parameter.gridValues(null).get(0))}, {d.toInternal(parameter.gridValues(null).get(2))}};
            ParzenEstimator p = estimator(List.of(d), obs, new double[]{1, 0.5}, OPTIONS);
            double sum = 0;
            for (var v : parameter.gridValues(null)) sum += Math.exp(p.logPdf(new double[]{d.toInternal(v)}));
            assertThat(sum).as(parameter.toString()).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void aCategoricalEstimatorSumsToOneAndFavoursWhatWasObserved() {
        Dimension d = Dimension.of(new CategoricalParameter("o", List.of(TextNode.valueOf("a"), TextNode.valueOf("b"), TextNode.valueOf("c"))));
        ParzenEstimator p = estimator(List.of(d), new double[][]{{1}, {1}, {2}}, new double[]{1, 1, 1}, OPTIONS);
        double[] probability = new double[3];
        for (int i = 0; i < 3; i++) probability[i] = Math.exp(p.logPdf(new double[]{i}));
        assertThat(probability[0] + probability[1] + probability[2]).isCloseTo(1.0, within(1e-9));
        assertThat(probability[1]).isGreaterThan(probability[2]).isGreaterThan(probability[0]);
        Random random = new Random(1);
        int[] counts = new int[3];
        for (int i = 0; i < 100_000; i++) counts[(int) p.sample(random)[0]]++;
        for (int i = 0; i < 3; i++) assertThat(counts[i] / 100_000.0).isCloseTo(probability[i], within(0.01));
    }

    @Test
    void drawsFollowTheDensity() {
        Dimension d = Dimension.of(new FloatParameter("x", 0, 1, false, null));
        ParzenEstimator p = estimator(List.of(d), new double[][]{{0.1}, {0.15}, {0.8}}, new double[]{1, 1, 1}, OPTIONS);
        Random random = new Random(2);
        int draws = 200_000;
        int below = 0;
        for (int i = 0; i < draws; i++) if (p.sample(random)[0] < 0.5) below++;
        double mass = 0;
        for (int i = 0; i < 10_000; i++) mass += Math.exp(p.logPdf(new double[]{(i + 0.5) / 20_000})) / 20_000;
        assertThat(below / (double) draws).isCloseTo(mass, within(0.005));
    }

    @Test
    void aJointEstimatorIsAProperDensityOverTwoDimensions() {
        List<Dimension> dims = List.of(Dimension.of(new FloatParameter("x", 0, 1, false, null)),
                Dimension.of(new CategoricalParameter("o", List.of(TextNode.valueOf("a"), TextNode.valueOf("b")))));
        ParzenEstimator p = estimator(dims, new double[][]{{0.2, 0}, {0.7, 1}}, new double[]{1, 1}, OPTIONS);
        double sum = 0;
        int steps = 20_000;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < steps; i++) sum += Math.exp(p.logPdf(new double[]{(i + 0.5) / steps, c})) / steps;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-4));
    }
}
