package org.visutility.orchestrator.functional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Distributions;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * policies backtest judges each replayed decision to fire on drift against the realised metric of its
 * window as the live reconciliation does, and reports each such policy's precision: confirmed / judged.
 */
@ExtendWith(PolicyBedExtension.class)
class BacktestReportsPrecisionAgainstRealisedMetricsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant DECIDED = T0.plus(Duration.ofMinutes(45));
    private static final double[] EDGES = {0, 1, 2, 3, 4};
    private static final String WHEN = "{drift: {features: [tenure], method: jensen_shannon, above: 0.1, window: 1h,"
            + " reconcile: {metric: accuracy, below: 0.85}}}";

    private static String policy(String name, String model, String when) {
        return """
                  - name: NAME
                    model: MODEL
                    when: WHEN
                    experiment: EXPERIMENT
                """.replace("NAME", name).replace("MODEL", model).replace("WHEN", when)
                .replace("EXPERIMENT", PolicyFiles.inlineExperiment(model));
    }

    private static void drifted(PolicyBed bed, String model) {
        Distributions d = Distributions.of(bed.jdbi(), MetricHistory.in(bed.jdbi()).model(model));
        d.numericReference("tenure", EDGES, 100, 200, 300, 400);
        d.numeric(T0.plus(Duration.ofMinutes(30)), "tenure", EDGES, 400, 300, 200, 100);
    }

    @Test
    void eachDecisionToFireIsConfirmedRevisedOrPendingAsTheLiveReconciliationJudgesIt(PolicyBed bed) throws Exception {
        for (String m : List.of("confirmed", "revised", "unlabelled")) drifted(bed, m);
        String yaml = "policies:\n" + policy("drift-confirmed", "confirmed", WHEN) + policy("drift-revised", "revised", WHEN)
                + policy("drift-unlabelled", "unlabelled", WHEN)
                + policy("floor-confirmed", "confirmed", "{metric: accuracy, below: 0.5, window: 1h}");
        Path file = PolicyFiles.write(bed.dir(), "policies.yaml", yaml);
        bed.apply(yaml);
        bed.evaluateAt(DECIDED);
        // labels land later: realised accuracy within the decisions' window (00:00, 00:45], and one outside it
        MetricHistory.in(bed.jdbi()).model("confirmed").from(T0.plus(Duration.ofMinutes(10))).every(Duration.ofMinutes(20))
                .samples(1000).values(0.80, 0.82);
        MetricHistory.in(bed.jdbi()).model("revised").from(T0.plus(Duration.ofMinutes(10))).every(Duration.ofMinutes(20))
                .samples(1000).values(0.91, 0.93);
        MetricHistory.in(bed.jdbi()).model("revised").from(T0.plus(Duration.ofHours(2))).samples(1000).values(0.10);
        bed.evaluator.reconcileDecisions(T0.plus(Duration.ofDays(1)));
        Map<String, Map<String, Object>> live = new TreeMap<>();
        bed.jdbi().withHandle(h -> h.createQuery("SELECT model, verdict, realised_value FROM lineage.decision_reconciliation")
                .mapToMap().list()).forEach(r -> live.put((String) r.get("model"), r));

        Cli.Run run = Cli.run(bed.db.environment(Map.of()), "policies", "backtest", file.toString(),
                "--from", DECIDED.toString(), "--to", DECIDED.toString(), "--step", "15m", "--json");

        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        JsonNode report = Json.MAPPER.readTree(run.out());
        Map<String, JsonNode> realised = new TreeMap<>();
        for (JsonNode e : report.get("events")) {
            if (e.get("policy").asText().startsWith("drift-")) realised.put(e.get("model").asText(), e.get("realised"));
            else assertThat(e.has("realised")).as("a metric condition has no realised check").isFalse();
        }
        assertThat(realised).containsOnlyKeys("confirmed", "revised", "unlabelled");
        for (String m : realised.keySet()) {
            assertThat(realised.get(m).get("verdict").asText()).as(m).isEqualTo(live.get(m).get("verdict"));
        }
        assertThat(realised.get("confirmed").get("value").asDouble()).isCloseTo(0.81, within(1e-9))
                .isCloseTo((Double) live.get("confirmed").get("realised_value"), within(1e-12));
        assertThat(realised.get("confirmed").get("samples").asLong()).isEqualTo(2000);
        assertThat(realised.get("confirmed").get("window_start").asText()).isEqualTo(T0.minus(Duration.ofMinutes(15)).toString());
        assertThat(realised.get("revised").get("value").asDouble()).isCloseTo(0.92, within(1e-9));
        assertThat(realised.get("unlabelled").get("verdict").asText()).isEqualTo("pending");
        assertThat(realised.get("unlabelled").get("value").isNull()).isTrue();

        Map<String, JsonNode> precision = new TreeMap<>();
        report.get("realised_precision").forEach(p -> precision.put(p.get("policy").asText(), p));
        assertThat(precision).as("only policies with a realised check").containsOnlyKeys("drift-confirmed", "drift-revised", "drift-unlabelled");
        assertThat(precision.get("drift-confirmed").get("precision").asDouble()).isEqualTo(1.0);
        assertThat(precision.get("drift-revised").get("precision").asDouble()).isEqualTo(0.0);
        assertThat(precision.get("drift-revised").get("revised").asLong()).isEqualTo(1);
        assertThat(precision.get("drift-unlabelled").get("precision").isNull()).as("n/a: nothing judged yet").isTrue();
        assertThat(precision.get("drift-unlabelled").get("pending").asLong()).isEqualTo(1);

        Cli.Run text = Cli.run(bed.db.environment(Map.of()), "policies", "backtest", file.toString(),
                "--from", DECIDED.toString(), "--to", DECIDED.toString(), "--step", "15m");
        assertThat(text.out())
                .contains("drift-confirmed  confirmed  precision against realised metrics: 1.000 (confirmed 1, revised 0, pending 0)")
                .contains("drift-revised  revised  precision against realised metrics: 0.000 (confirmed 0, revised 1, pending 0)")
                .contains("drift-unlabelled  unlabelled  precision against realised metrics: n/a (confirmed 0, revised 0, pending 1)")
                .contains("[confirmed: realised accuracy 0.81");
    }
}
