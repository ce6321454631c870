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

/** Drift conditions of many models judged in one pass: only the models whose production moved fire, with per-feature evidence. */
@ExtendWith(PolicyBedExtension.class)
class DriftConditionsFireForTheDriftedModelsOnlyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final double[] EDGES = {0, 1, 2, 3, 4};
    private static final List<String> PLANS = List.of("basic", "pro");

    private static String policy(String model, String when) {
        return """
                  - name: drift-MODEL
                    model: MODEL
                    when: WHEN
                    experiment: EXPERIMENT
                """.replace("MODEL", model).replace("WHEN", when).replace("EXPERIMENT", PolicyFiles.inlineExperiment(model));
    }

    /** A model with references for tenure (numeric) and plan (categorical), and one hour of production. */
    private static void model(PolicyBed bed, String name, long[] tenure, long[] plan) {
        Distributions d = Distributions.of(bed.jdbi(), MetricHistory.in(bed.jdbi()).model(name));
        d.numericReference("tenure", EDGES, 100, 200, 300, 400);
        d.categoricalReference("plan", PLANS, 500, 500);
        d.numeric(T0.plus(Duration.ofMinutes(30)), "tenure", EDGES, tenure);
        d.categorical(T0.plus(Duration.ofMinutes(30)), "plan", PLANS, plan);
    }

    @Test
    void onlyTheModelWhoseTenureMovedFiresAndItsEvidenceNamesTenure(PolicyBed bed) {
        model(bed, "steady-a", new long[]{100, 200, 300, 400}, new long[]{500, 500});
        model(bed, "moved", new long[]{400, 300, 200, 100}, new long[]{500, 500});
        model(bed, "steady-b", new long[]{110, 190, 310, 390}, new long[]{480, 520});
        String when = "{drift: {features: [tenure, plan], method: psi, above: 0.2, window: 1h, min_samples: 500}}";
        bed.apply("policies:\n" + policy("steady-a", when) + policy("moved", when) + policy("steady-b", when));

        var pass = bed.evaluateAt(T0.plus(Duration.ofMinutes(45)));

        assertThat(pass.evaluated()).isEqualTo(3);
        assertThat(pass.changes()).singleElement().satisfies(c -> {
            assertThat(c.model()).isEqualTo("moved");
            assertThat(c.to()).isEqualTo("firing");
        });
        assertThat(bed.state("drift-steady-a")).isEqualTo("ok");
        assertThat(bed.state("drift-steady-b")).isEqualTo("ok");
        PolicyBed.Evaluation firing = bed.evaluations("drift-moved").get(0);
        // PSI of (.4,.3,.2,.1) against (.1,.2,.3,.4): 2 (.3 ln 4 + .1 ln 1.5) = 0.9128696
        assertThat(firing.observed()).isCloseTo(0.9128696, within(1e-6));
        assertThat(firing.threshold()).isEqualTo(0.2);
        assertThat(firing.condition()).isEqualTo("drift(psi of tenure, plan, 1h) above 0.2");

        List<Map<String, Object>> evidence = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT feature, method, score, drifted, sample_count, histograms FROM orchestrator.drift_evidence
                 WHERE evaluation_id = :id ORDER BY feature""").bind("id", firing.id()).mapToMap().list());
        assertThat(evidence).hasSize(2);
        assertThat(evidence.get(0)).containsEntry("feature", "plan").containsEntry("drifted", false).containsEntry("method", "psi");
        assertThat((Double) evidence.get(0).get("score")).isCloseTo(0.0, within(1e-12));
        assertThat(evidence.get(1)).containsEntry("feature", "tenure").containsEntry("drifted", true).containsEntry("sample_count", 1000L)
                .containsEntry("histograms", 1);
    }
}
