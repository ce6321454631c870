package org.visutility.orchestrator.functional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
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

/** Each kind of condition, on a crafted history: it fires, it records its evidence, and it resolves. */
@ExtendWith(PolicyBedExtension.class)
class ConditionsFireAndResolveTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);


    private static String policy(String name, String model, String when) {
        return """
                  - name: NAME
                    model: MODEL
                    when: WHEN
                    experiment: EXPERIMENT
                """.replace("NAME", name).replace("MODEL", model).replace("WHEN", when)
                .replace("EXPERIMENT", PolicyFiles.inlineExperiment(model));
    }

    private void apply(PolicyBed bed, String... policies) {
        bed.apply("policies:\n" + String.join("", policies));
    }

    @Test
    void aThresholdOnATimeWindowFiresWithItsEvidenceEnqueuesOneExperimentAndResolves(PolicyBed bed) {
        MetricHistory h = bed.history().model("churn").from(T0).every(TEN_MINUTES);
        List<Long> ids = h.values(0.90, 0.90, 0.90, 0.90, 0.90, 0.90, 0.80, 0.80, 0.80, 0.80, 0.80, 0.80, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95);
        apply(bed, policy("floor", "churn", "{metric: accuracy, aggregate: mean, window: 1h, below: 0.85}"));

        assertThat(bed.evaluateAt(T0.plus(Duration.ofMinutes(55))).changes()).isEmpty();
        assertThat(bed.state("floor")).isEqualTo("ok");

        PolicyEvaluator.PassResult fired = bed.evaluateAt(T0.plus(Duration.ofMinutes(115)));
        assertThat(fired.changes()).singleElement().satisfies(c -> {
            assertThat(c.from()).isEqualTo("ok");
            assertThat(c.to()).isEqualTo("firing");
        });
        assertThat(bed.state("floor")).isEqualTo("firing");
        PolicyBed.Evaluation firing = bed.evaluations("floor").get(0);
        assertThat(firing.condition()).isEqualTo("mean(accuracy, 1h) below 0.85");
        assertThat(firing.observed()).isCloseTo(0.80, within(1e-9));
        assertThat(firing.threshold()).isEqualTo(0.85);
        assertThat(firing.evidence()).containsExactlyInAnyOrderElementsOf(ids.subList(6, 12));
        assertThat(firing.detail()).contains("\"holds\": true");

        List<PolicyBed.Experiment> experiments = bed.experiments("floor");
        assertThat(experiments).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo("queued");
            assertThat(e.trigger()).isEqualTo("policy");
            assertThat(e.evaluationId()).isEqualTo(firing.id());
            assertThat(e.spec()).contains("\"model\": \"churn\"");
            assertThat(e.specSha256()).hasSize(64);
            assertThat(e.queuedAt()).isEqualTo(T0.plus(Duration.ofMinutes(115)));
        });
        assertThat(firing.experimentId()).isEqualTo(experiments.get(0).id());
        assertThat(bed.observer.experiments).singleElement().satisfies(e -> assertThat(e.experimentId()).isEqualTo(firing.experimentId()));

        assertThat(bed.evaluateAt(T0.plus(Duration.ofMinutes(125))).changes()).as("still firing: mean of 5 x 0.80 and 0.95").isEmpty();
        PolicyEvaluator.PassResult resolved = bed.evaluateAt(T0.plus(Duration.ofMinutes(175)));
        assertThat(resolved.changes()).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("resolved"));
        assertThat(bed.transitions("floor")).containsExactly("ok->firing", "firing->resolved");
        assertThat(bed.experiments("floor")).hasSize(1);
    }

    @Test
    void eachAggregateOverTheLastNSnapshotsIgnoresOlderAndFutureSnapshots(PolicyBed bed) {
        MetricHistory h = bed.history().model("agg");
        h.snapshot(T0, 5000, Map.of("accuracy", 0.10));                          // older than the last 3
        long a = h.snapshot(T0.plus(Duration.ofMinutes(10)), 100, Map.of("accuracy", 0.90));
        long b = h.snapshot(T0.plus(Duration.ofMinutes(20)), 300, Map.of("accuracy", 0.70));
        long c = h.snapshot(T0.plus(Duration.ofMinutes(30)), 600, Map.of("accuracy", 0.80));
        h.snapshot(T0.plus(Duration.ofMinutes(50)), 1000, Map.of("accuracy", 0.00));  // after the evaluation time
        String[] aggregates = {"last", "mean", "min", "max", "weighted_mean"};
        StringBuilder yaml = new StringBuilder("policies:\n");
        for (String agg : aggregates) {
            yaml.append(policy("agg-" + agg, "agg", "{metric: accuracy, aggregate: " + agg + ", snapshots: 3, below: 2}"));
        }
        bed.apply(yaml.toString());

        bed.evaluateAt(T0.plus(Duration.ofMinutes(40)));

        Map<String, Double> expected = Map.of("last", 0.80, "mean", 0.80, "min", 0.70, "max", 0.90,
                "weighted_mean", (0.90 * 100 + 0.70 * 300 + 0.80 * 600) / 1000);
        for (String agg : aggregates) {
            PolicyBed.Evaluation e = bed.evaluations("agg-" + agg).get(0);
            assertThat(e.observed()).as(agg).isCloseTo(expected.get(agg), within(1e-9));
            assertThat(e.evidence()).as(agg).containsExactly(c, b, a);
        }
    }

    @Test
    void aWindowWithTooFewSamplesDoesNotCountUntilEnoughArrive(PolicyBed bed) {
        MetricHistory h = bed.history().model("thin").from(T0).every(TEN_MINUTES).samples(100);
        h.values(0.5, 0.5, 0.5);
        apply(bed, policy("thin-floor", "thin", "{metric: accuracy, window: 1h, below: 0.85, min_samples: 1000}"));

        assertThat(bed.evaluateAt(T0.plus(Duration.ofMinutes(25))).changes()).isEmpty();
        assertThat(bed.state("thin-floor")).isEqualTo("ok");
        assertThat(bed.experiments("thin-floor")).isEmpty();

        h.from(T0.plus(Duration.ofMinutes(30))).samples(800).values(0.5);
        assertThat(bed.evaluateAt(T0.plus(Duration.ofMinutes(35))).changes()).hasSize(1);
        assertThat(bed.state("thin-floor")).isEqualTo("firing");
    }

    @Test
    void aDropFromTheVersionsFirstSnapshotsFiresAndResolvesAtTheResolveLine(PolicyBed bed) {
        MetricHistory h = bed.history().model("drift").version("v7").from(T0).every(TEN_MINUTES);
        List<Long> ids = h.values(0.90, 0.92, 0.88, 0.90, 0.84, 0.83, 0.86, 0.89, 0.90);
        apply(bed, policy("drift-drop", "drift",
                "{metric: accuracy, snapshots: 2, drop: 0.05, baseline: {first: 3}, resolve: 0.02}"));

        assertThat(bed.evaluateAt(h.at(3)).changes()).isEmpty();  // last 2 = 0.88, 0.90 -> mean 0.89, drop 0.01
        bed.evaluateAt(h.at(5));                                   // last 2 = 0.84, 0.83 -> drop 0.065
        PolicyBed.Evaluation fired = bed.evaluations("drift-drop").get(0);
        assertThat(fired.to()).isEqualTo("firing");
        assertThat(fired.observed()).isCloseTo(0.90 - 0.835, within(1e-9));
        assertThat(fired.threshold()).isEqualTo(0.05);
        assertThat(fired.evidence()).containsExactlyInAnyOrder(ids.get(5), ids.get(4), ids.get(0), ids.get(1), ids.get(2));
        assertThat(fired.detail()).contains("baseline 0.9");

        assertThat(bed.evaluateAt(h.at(7)).changes()).as("drop 0.025: no longer 0.05, not yet back under 0.02").isEmpty();
        assertThat(bed.evaluateAt(h.at(8)).changes()).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("resolved"));
    }

    @Test
    void aRelativeDropFromAGivenBaselineFires(PolicyBed bed) {
        bed.history().model("rel").from(T0).every(TEN_MINUTES).values(0.85, 0.80);
        apply(bed, policy("rel-drop", "rel", "{metric: accuracy, snapshots: 1, drop: 10%, baseline: 0.9}"));

        assertThat(bed.evaluateAt(T0).changes()).isEmpty();                         // 5.6% below 0.9
        assertThat(bed.evaluateAt(T0.plus(TEN_MINUTES)).changes()).hasSize(1);     // 11.1% below 0.9
        assertThat(bed.evaluations("rel-drop").get(0).observed()).isCloseTo(0.1 / 0.9, within(1e-9));
    }

    @Test
    void aNewModelVersionWithoutItsBaselineYetDoesNotCount(PolicyBed bed) {
        MetricHistory h = bed.history().model("fresh").from(T0).every(TEN_MINUTES);
        h.version("v1").values(0.95, 0.95, 0.95);
        h.version("v2").from(T0.plus(Duration.ofMinutes(30))).values(0.50, 0.50);
        apply(bed, policy("fresh-drop", "fresh", "{metric: accuracy, snapshots: 1, drop: 0.05, baseline: {first: 3}}"));

        assertThat(bed.evaluateAt(T0.plus(Duration.ofMinutes(45))).changes()).isEmpty();
        assertThat(bed.state("fresh-drop")).isEqualTo("ok");
    }

    @Test
    void stalenessFiresWithoutASuccessfulRetrainAndResolvesAfterOne(PolicyBed bed) {
        bed.history().model("stale").from(T0).values(0.9);
        apply(bed, policy("stale-retrain", "stale", "{no_successful_retrain_for: 7d}"));

        assertThat(bed.evaluateAt(T0.plus(Duration.ofDays(6))).changes()).isEmpty();
        bed.evaluateAt(T0.plus(Duration.ofDays(8)));
        assertThat(bed.state("stale-retrain")).isEqualTo("firing");
        PolicyBed.Evaluation fired = bed.evaluations("stale-retrain").get(0);
        assertThat(fired.observed()).isEqualTo(Duration.ofDays(8).toSeconds());
        assertThat(fired.threshold()).isEqualTo(Duration.ofDays(7).toSeconds());

        long experiment = bed.experiments("stale-retrain").get(0).id();
        bed.finishExperiment(experiment, "succeeded", T0.plus(Duration.ofDays(8)).plus(Duration.ofHours(3)));
        bed.evaluateAt(T0.plus(Duration.ofDays(9)));
        assertThat(bed.transitions("stale-retrain")).containsExactly("ok->firing", "firing->resolved");
        assertThat(bed.evaluations("stale-retrain").get(1).detail()).contains("experiment " + experiment);
    }

    @Test
    void aCustomSqlPredicateFiresAndResolvesWithTheObservedValueAndEvidenceItReturns(PolicyBed bed) {
        List<Long> ids = bed.history().model("custom").from(T0).every(TEN_MINUTES).values(0.9, 0.4, 0.4, 0.9, 0.9);
        apply(bed, policy("custom-sql", "custom", """
                {sql: "SELECT max(value) < 0.5 AS breach, max(value) AS observed, array_agg(snapshot_id) AS evidence
                         FROM orchestrator.metric_value
                        WHERE model_id = :model_id AND metric = 'accuracy'
                          AND observed_at > :at - interval '20 minutes' AND observed_at <= :at"}"""));

        bed.evaluateAt(T0.plus(Duration.ofMinutes(25)));
        PolicyBed.Evaluation fired = bed.evaluations("custom-sql").get(0);
        assertThat(fired.to()).isEqualTo("firing");
        assertThat(fired.observed()).isEqualTo(0.4);
        assertThat(fired.evidence()).containsExactlyInAnyOrder(ids.get(1), ids.get(2));
        bed.evaluateAt(T0.plus(Duration.ofMinutes(45)));
        assertThat(bed.transitions("custom-sql")).containsExactly("ok->firing", "firing->resolved");
    }

    @Test
    void aCustomPredicateThatWritesOrOverrunsItsTimeoutDoesNotCountAndDoesNotStopThePass(PolicyBed bed) {
        apply(bed, policy("writes", "w", "{sql: \"SELECT CASE WHEN EXISTS (SELECT 1 FROM orchestrator.metric_value WHERE model_id = :model_id)"
                        + " THEN nextval('orchestrator.model_id_seq') > 0 ELSE false END AS breach\"}"),
                policy("slow", "s", "{sql: \"SELECT CASE WHEN EXISTS (SELECT 1 FROM orchestrator.metric_value WHERE model_id = :model_id)"
                        + " THEN pg_sleep(5) IS NULL ELSE false END AS breach\", timeout: 300ms}"),
                policy("plain", "p", "{metric: accuracy, snapshots: 1, below: 0.5}"));
        bed.history().model("w").from(T0).values(0.1);
        bed.history().model("s").from(T0).values(0.1);
        bed.history().model("p").from(T0).values(0.1);

        PolicyEvaluator.PassResult r = bed.evaluateAt(T0.plus(TEN_MINUTES));

        assertThat(r.evaluated()).isEqualTo(3);
        assertThat(r.changes()).singleElement().satisfies(c -> assertThat(c.policy()).isEqualTo("plain"));
        assertThat(bed.state("writes")).isEqualTo("ok");
        assertThat(bed.state("slow")).isEqualTo("ok");
    }
}
