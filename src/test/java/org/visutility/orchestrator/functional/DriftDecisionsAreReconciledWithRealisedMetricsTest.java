package org.visutility.orchestrator.functional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.Distributions;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A drift decision is confirmed when its window's realised accuracy breached too, revised when it did not, pending before labels. */
@ExtendWith(PolicyBedExtension.class)
class DriftDecisionsAreReconciledWithRealisedMetricsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final double[] EDGES = {0, 1, 2, 3, 4};
    private static final String WHEN = "{drift: {features: [tenure], method: jensen_shannon, above: 0.1, window: 1h,"
            + " reconcile: {metric: accuracy, below: 0.85}}}";

    private static String policy(String model) {
        return """
                  - name: drift-MODEL
                    model: MODEL
                    when: WHEN
                    experiment: EXPERIMENT
                """.replace("MODEL", model).replace("WHEN", WHEN).replace("EXPERIMENT", PolicyFiles.inlineExperiment(model));
    }

    private static void drifted(PolicyBed bed, String model) {
        Distributions d = Distributions.of(bed.jdbi(), MetricHistory.in(bed.jdbi()).model(model));
        d.numericReference("tenure", EDGES, 100, 200, 300, 400);
        d.numeric(T0.plus(Duration.ofMinutes(30)), "tenure", EDGES, 400, 300, 200, 100);
    }

    private static Map<String, Map<String, Object>> reconciliation(PolicyBed bed) {
        List<Map<String, Object>> rows = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT model, verdict, realised_metric, realised_value, realised_samples, window_start, window_end
                  FROM lineage.decision_reconciliation ORDER BY model""").mapToMap().list());
        Map<String, Map<String, Object>> byModel = new java.util.TreeMap<>();
        rows.forEach(r -> byModel.put((String) r.get("model"), r));
        return byModel;
    }

    @Test
    void confirmedRevisedAndPendingByTheRealisedAccuracyOfEachDecisionsWindow(PolicyBed bed) {
        for (String m : List.of("confirmed", "revised", "unlabelled")) drifted(bed, m);
        bed.apply("policies:\n" + policy("confirmed") + policy("revised") + policy("unlabelled"));
        Instant decided = T0.plus(Duration.ofMinutes(45));
        assertThat(bed.evaluateAt(decided).changes()).hasSize(3).allSatisfy(c -> assertThat(c.to()).isEqualTo("firing"));
        assertThat(reconciliation(bed).values()).extracting(r -> r.get("verdict")).containsOnly("pending");

        // labels land a day later: accuracy within the decisions' window (00:00, 00:45], and one outside it that must not count
        MetricHistory.in(bed.jdbi()).model("confirmed").from(T0.plus(Duration.ofMinutes(10))).every(Duration.ofMinutes(20))
                .samples(1000).values(0.80, 0.82);
        MetricHistory.in(bed.jdbi()).model("revised").from(T0.plus(Duration.ofMinutes(10))).every(Duration.ofMinutes(20))
                .samples(1000).values(0.91, 0.93);
        MetricHistory.in(bed.jdbi()).model("revised").from(T0.plus(Duration.ofHours(2))).samples(1000).values(0.10);
        int recorded = bed.evaluator.reconcileDecisions(T0.plus(Duration.ofDays(1)));

        assertThat(recorded).as("two verdicts changed; the unlabelled one stays pending and is not written again").isEqualTo(2);
        Map<String, Map<String, Object>> r = reconciliation(bed);
        assertThat(r.get("confirmed")).containsEntry("verdict", "confirmed").containsEntry("realised_metric", "accuracy")
                .containsEntry("realised_samples", 2000L);
        assertThat((Double) r.get("confirmed").get("realised_value")).isCloseTo(0.81, within(1e-9));
        assertThat(r.get("revised")).containsEntry("verdict", "revised");
        assertThat((Double) r.get("revised").get("realised_value")).isCloseTo(0.92, within(1e-9));
        assertThat(r.get("unlabelled")).containsEntry("verdict", "pending");
        assertThat(r.get("unlabelled").get("realised_value")).isNull();
        assertThat(bed.evaluator.reconcileDecisions(T0.plus(Duration.ofDays(2)))).as("nothing new to reconcile").isZero();
    }
}
