package org.visutility.orchestrator.functional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.policy.spec.PolicyFileException;
import org.visutility.orchestrator.support.Distributions;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Estimated accuracy (CBPE) from the prediction histogram tracks the realised accuracy of a calibrated classifier; a badly calibrated one is refused. */
@ExtendWith(PolicyBedExtension.class)
class EstimatedPerformanceBeforeLabelsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final int BINS = 10;
    private static final double[] EDGES = new double[BINS + 1];

    static {
        for (int i = 0; i <= BINS; i++) EDGES[i] = i / (double) BINS;
    }

    private static String policy(String model, String when) {
        return """
                policies:
                  - name: estimate-MODEL
                    model: MODEL
                    when: WHEN
                    experiment: EXPERIMENT
                """.replace("MODEL", model).replace("WHEN", when).replace("EXPERIMENT", PolicyFiles.inlineExperiment(model));
    }

    /** A calibrated classifier's score: sigmoid of a normal with mean mu; its label is positive with that probability. */
    private record Draws(long[] counts, double[] scoreSum, long[] positives, long correct, int n) {
        static Draws of(long seed, double mu, int n) {
            Random r = new Random(seed);
            long[] counts = new long[BINS];
            double[] scoreSum = new double[BINS];
            long[] positives = new long[BINS];
            long correct = 0;
            for (int i = 0; i < n; i++) {
                double s = 1 / (1 + Math.exp(-(mu + 1.5 * r.nextGaussian())));
                boolean positive = r.nextDouble() < s;
                int bin = Math.min(BINS - 1, (int) (s * BINS));
                counts[bin]++;
                scoreSum[bin] += s;
                if (positive) positives[bin]++;
                if ((s >= 0.5) == positive) correct++;
            }
            return new Draws(counts, scoreSum, positives, correct, n);
        }

        double[] mean() {
            double[] m = new double[BINS];
            for (int b = 0; b < BINS; b++) m[b] = counts[b] == 0 ? 0 : scoreSum[b] / counts[b];
            return m;
        }

        double[] rate() {
            double[] m = new double[BINS];
            for (int b = 0; b < BINS; b++) m[b] = counts[b] == 0 ? 0 : positives[b] / (double) counts[b];
            return m;
        }
    }

    @Test
    void theEstimatedAccuracyOfACalibratedClassifierIsWithinTwoPointsOfTheRealisedOne(PolicyBed bed) {
        Lifecycles.version(bed.jdbi(), "scored", "v1", "active");
        Distributions d = Distributions.of(bed.jdbi(), MetricHistory.in(bed.jdbi()).model("scored").version("v1"));
        Draws training = Draws.of(1, 0.8, 50_000);
        d.calibration(EDGES, training.mean(), training.rate(), training.counts(), 0.5);
        // production has moved towards the uncertain middle: accuracy falls, and the labels are not in yet
        Draws production = Draws.of(2, -0.2, 20_000);
        d.numeric(T0.plus(Duration.ofMinutes(30)), "prediction", EDGES, production.counts());
        double realised = production.correct() / (double) production.n();
        bed.apply(policy("scored", "{estimated: {metric: accuracy, below: 0.9, window: 1h, min_samples: 1000}}"));

        var pass = bed.evaluateAt(T0.plus(Duration.ofMinutes(45)));

        assertThat(pass.changes()).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("firing"));
        PolicyBed.Evaluation firing = bed.evaluations("estimate-scored").get(0);
        assertThat(firing.condition()).isEqualTo("estimated(accuracy, 1h) below 0.9");
        assertThat(firing.observed()).isCloseTo(realised, within(0.02));
        assertThat(realised).as("the window is worse than the line, so the estimate must be too").isLessThan(0.9);
    }

    @Test
    void aBadlyCalibratedReferenceIsRefusedAtApply(PolicyBed bed) {
        Lifecycles.version(bed.jdbi(), "overconfident", "v1", "active");
        Distributions d = Distributions.of(bed.jdbi(), MetricHistory.in(bed.jdbi()).model("overconfident").version("v1"));
        Draws training = Draws.of(3, 0.8, 10_000);
        double[] rate = training.rate();
        double[] claimed = new double[BINS];
        // the scores claim 0.05 or 0.95 while the truth per bin is the calibrated rate: an error of about 0.25
        for (int b = 0; b < BINS; b++) claimed[b] = b < BINS / 2 ? 0.05 : 0.95;
        d.calibration(EDGES, claimed, rate, training.counts(), 0.5);

        assertThatThrownBy(() -> bed.apply(policy("overconfident", "{estimated: {metric: accuracy, below: 0.85, window: 6h}}")))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("policies[0].when")
                .hasMessageContaining("model 'overconfident' version v1 is badly calibrated (calibration_error 0.")
                .hasMessageContaining("> 0.05");
        long policies = bed.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.retrain_policy").mapTo(Long.class).one());
        assertThat(policies).as("nothing written").isZero();
    }

    @Test
    void aServingVersionWithoutACalibrationIsRefusedAtApply(PolicyBed bed) {
        Lifecycles.version(bed.jdbi(), "uncalibrated", "v1", "active");
        assertThatThrownBy(() -> bed.apply(policy("uncalibrated", "{estimated: {metric: precision, below: 0.8, window: 6h}}")))
                .isInstanceOf(PolicyFileException.class)
                .hasMessageContaining("model 'uncalibrated' version v1 (serving) has no reference calibration");
    }
}
