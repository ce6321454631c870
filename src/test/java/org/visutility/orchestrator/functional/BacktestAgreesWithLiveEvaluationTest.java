package org.visutility.orchestrator.functional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.eval.Backtester;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backtest replays a policy file over stored history; its state changes must be exactly those
 * the live evaluator records when it runs at the same instants over the same history.
 */
@ExtendWith(PolicyBedExtension.class)
class BacktestAgreesWithLiveEvaluationTest {
    private static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(10);
    private static final int POINTS = 144;       // one day of snapshots every 10 minutes
    private static final int TICKS = POINTS + 6; // and an hour more of evaluations


    /** Healthy at 0.90, a deep dip, a recovery, then a value hovering just under and over the line. */
    private static double accuracy(int i, double depth) {
        if (i >= 40 && i < 60) return 0.90 - depth;
        if (i >= 100 && i < 120) return i % 2 == 0 ? 0.849 : 0.853;
        return 0.90 + (i % 3) * 0.005;
    }

    private String writeHistoryAndPolicies(PolicyBed bed) {
        for (String model : List.of("alpha", "beta")) {
            double depth = model.equals("alpha") ? 0.10 : 0.06;
            double[] values = new double[POINTS];
            for (int i = 0; i < POINTS; i++) values[i] = accuracy(i, depth);
            bed.history().model(model).version("v1").from(T0).every(STEP).samples(500).values(values);
        }
        return """
                policies:
                  - name: alpha-floor
                    model: alpha
                    when: {metric: accuracy, aggregate: weighted_mean, window: 30m, below: 0.85, resolve: 0.87, min_samples: 1000, for: 20m}
                    experiment: EXP_alpha
                  - name: alpha-drop
                    model: alpha
                    when: {metric: accuracy, snapshots: 3, drop: 5%, baseline: {first: 6}, resolve: 1%}
                    experiment: EXP_alpha
                  - name: beta-floor-and-stale
                    model: beta
                    for: 10m
                    when:
                      - {metric: accuracy, aggregate: min, snapshots: 2, below: 0.85}
                      - {no_successful_retrain_for: 6h}
                    experiment: EXP_beta
                  - name: beta-sql
                    model: beta
                    when: {sql: "SELECT avg(value) < 0.86 AS breach, avg(value) AS observed, array_agg(snapshot_id ORDER BY snapshot_id) AS evidence FROM orchestrator.metric_value WHERE model_id = :model_id AND metric = 'accuracy' AND observed_at > :at - interval '20 minutes' AND observed_at <= :at"}
                    experiment: EXP_beta
                """.replace("EXP_alpha", PolicyFiles.inlineExperiment("alpha")).replace("EXP_beta", PolicyFiles.inlineExperiment("beta"));
    }

    private record Change(Instant at, String policy, String from, String to, Double observed, List<Long> evidence) {
    }

    private List<Change> live(PolicyBed bed, String policy) {
        List<Change> out = new ArrayList<>();
        for (PolicyBed.Evaluation e : bed.evaluations(policy)) {
            if (!e.from().equals(e.to())) out.add(new Change(e.at(), e.policy(), e.from(), e.to(), e.observed(), e.evidence()));
        }
        return out;
    }

    @Test
    void theBacktestReportsExactlyTheStateChangesTheLiveEvaluatorRecords(PolicyBed bed) {
        String yaml = writeHistoryAndPolicies(bed);
        bed.apply(yaml);
        Instant to = T0.plus(STEP.multipliedBy(TICKS - 1));
        for (int i = 0; i < TICKS; i++) bed.evaluateAt(T0.plus(STEP.multipliedBy(i)));
        List<String> policies = List.of("alpha-floor", "alpha-drop", "beta-floor-and-stale", "beta-sql");

        Backtester.Report report = bed.jdbi().withHandle(h -> new Backtester(bed.sqlConditions).run(h,
                PolicyFileParser.parse(yaml, "inline", bed.dir()).specs(), T0, to, STEP));

        for (String policy : policies) {
            List<Change> replayed = report.events().stream().filter(e -> e.policy().equals(policy) && e.from() != e.to())
                    .map(e -> new Change(e.at(), e.policy(), e.from().spelling(), e.to().spelling(), e.observed(), e.evidence()))
                    .toList();
            assertThat(replayed).as(policy).isEqualTo(live(bed, policy));
            assertThat(replayed).as(policy + " is exercised").isNotEmpty();
        }
        assertThat(live(bed, "alpha-floor")).extracting(Change::to).containsExactly("pending", "firing", "resolved");
        assertThat(live(bed, "beta-floor-and-stale").get(0).at()).as("beta's dip is before it has gone 6h without a retrain")
                .isAfter(T0.plus(Duration.ofHours(6)));
    }

    @Test
    void theBacktestCommandPrintsWhenEachPolicyWouldFireAndResolveAndEnqueuesNothing(PolicyBed bed) throws Exception {
        String yaml = writeHistoryAndPolicies(bed);
        Path file = PolicyFiles.write(bed.dir(), "policies.yaml", yaml);
        bed.apply(yaml);
        for (int i = 0; i < TICKS; i++) bed.evaluateAt(T0.plus(STEP.multipliedBy(i)));
        int evaluations = count(bed, "policy_evaluation");
        int experiments = count(bed, "experiment");
        Instant to = T0.plus(STEP.multipliedBy(TICKS - 1));

        Cli.Run run = Cli.run(bed.db.environment(Map.of()), "policies", "backtest", file.toString(),
                "--from", T0.toString(), "--to", to.toString(), "--step", "10m", "--json");

        assertThat(run.status()).isEqualTo(ExitCode.OK);
        JsonNode report = Json.MAPPER.readTree(run.out());
        assertThat(report.get("instants").asInt()).isEqualTo(TICKS);
        List<String> printed = new ArrayList<>();
        for (JsonNode e : report.get("events")) {
            if (!e.get("from").asText().equals(e.get("to").asText())) {
                printed.add(e.get("at").asText() + " " + e.get("policy").asText() + " " + e.get("from").asText() + "->" + e.get("to").asText());
            }
        }
        List<String> recorded = new ArrayList<>();
        for (String p : List.of("alpha-floor", "alpha-drop", "beta-floor-and-stale", "beta-sql")) {
            live(bed, p).forEach(c -> recorded.add(c.at() + " " + c.policy() + " " + c.from() + "->" + c.to()));
        }
        assertThat(printed).containsExactlyInAnyOrderElementsOf(recorded);
        assertThat(report.get("events").findValuesAsText("would_enqueue")).contains("true");
        assertThat(count(bed, "policy_evaluation")).as("the backtest wrote no evaluation").isEqualTo(evaluations);
        assertThat(count(bed, "experiment")).as("the backtest enqueued nothing").isEqualTo(experiments);
    }

    private int count(PolicyBed bed, String table) {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator." + table).mapTo(Integer.class).one());
    }
}
