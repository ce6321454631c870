package org.visutility.orchestrator.functional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.eval.Backtester;
import org.visutility.orchestrator.policy.eval.ValuesAsOf;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value revised after a policy decided on it: the live decision, a backtest as known at each
 * instant and a live pass at the same instant all read the revision known then, so they agree;
 * a backtest as now reads the revised value and decides otherwise.
 */
@ExtendWith(PolicyBedExtension.class)
class DecisionsReadTheValuesKnownAtTheirInstantTest {
    private static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(10);
    /** Healthy, then three low windows: the mean of the last three crosses 0.85 at the fifth snapshot (index 4). */
    private static final double[] ACCURACY = {0.90, 0.90, 0.90, 0.80, 0.80, 0.80};
    private static final Instant LAST = T0.plus(STEP.multipliedBy(ACCURACY.length - 1));
    /** The warehouse recomputes two windows hours later, with the late labels: they were fine after all. */
    private static final Instant REVISED_AT = LAST.plus(Duration.ofHours(3));

    private String policy() {
        return """
                policies:
                  - name: floor
                    model: churn
                    when: {metric: accuracy, aggregate: mean, snapshots: 3, below: 0.85, min_samples: 1000}
                    experiment: EXP
                """.replace("EXP", PolicyFiles.inlineExperiment("churn"));
    }

    /** Writes the history, evaluates live at each snapshot, then revises snapshots 3 and 4 up to 0.90. */
    private List<Long> decideThenRevise(PolicyBed bed) {
        MetricHistory history = bed.history().model("churn").from(T0).every(STEP).samples(500);
        List<Long> ids = history.values(ACCURACY);
        bed.apply(policy());
        for (int i = 0; i < ACCURACY.length; i++) bed.evaluateAt(history.at(i));
        history.revise(ids.get(3), REVISED_AT, Map.of("accuracy", 0.90));
        history.revise(ids.get(4), REVISED_AT, Map.of("accuracy", 0.90));
        return ids;
    }

    private Backtester.Report backtest(PolicyBed bed, ValuesAsOf values) {
        return bed.jdbi().withHandle(h -> new Backtester(bed.sqlConditions).run(h,
                PolicyFileParser.parse(policy(), "inline", bed.dir()).specs(), T0, LAST, STEP, values));
    }

    @Test
    void aBacktestAsKnownAtEachInstantReproducesTheLiveDecisionMadeBeforeTheRevision(PolicyBed bed) {
        List<Long> ids = decideThenRevise(bed);
        PolicyBed.Evaluation fired = bed.evaluations("floor").get(0);
        assertThat(fired.to()).isEqualTo("firing");
        assertThat(fired.at()).isEqualTo(T0.plus(STEP.multipliedBy(4)));
        assertThat(fired.evidence()).as("the revisions known then").containsExactly(ids.get(4), ids.get(3), ids.get(2));

        Backtester.Report replay = backtest(bed, ValuesAsOf.KNOWN_AT);

        assertThat(replay.values()).isEqualTo(ValuesAsOf.KNOWN_AT);
        assertThat(replay.events()).singleElement().satisfies(e -> {
            assertThat(e.at()).isEqualTo(fired.at());
            assertThat(e.to().spelling()).isEqualTo("firing");
            assertThat(e.observed()).isEqualTo(fired.observed());
            assertThat(e.evidence()).isEqualTo(fired.evidence());
        });
    }

    @Test
    void aBacktestAsNowReadsTheRevisedValuesAndDoesNotFire(PolicyBed bed) {
        decideThenRevise(bed);

        Backtester.Report replay = backtest(bed, ValuesAsOf.NOW);

        assertThat(replay.values()).isEqualTo(ValuesAsOf.NOW);
        assertThat(replay.events()).as("0.90, 0.90, 0.80 never averages below 0.85").isEmpty();
    }

    @Test
    void aLivePassAfterTheRevisionReadsTheRevisedValues(PolicyBed bed) {
        List<Long> ids = decideThenRevise(bed);
        List<Long> revised = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT id FROM orchestrator.metric_snapshot WHERE replaces_id IN (<ids>) ORDER BY replaces_id""")
                .bindList("ids", List.of(ids.get(3), ids.get(4))).mapTo(Long.class).list());

        bed.evaluateAt(REVISED_AT);

        PolicyBed.Evaluation last = bed.evaluations("floor").get(bed.evaluations("floor").size() - 1);
        assertThat(last.to()).as("0.90, 0.90, 0.80 known at the revision").isEqualTo("resolved");
        assertThat(last.evidence()).containsExactly(ids.get(5), revised.get(1), revised.get(0));
    }

    @Test
    void aCustomPredicateReadsTheSameValuesThroughKnownAt(PolicyBed bed) {
        decideThenRevise(bed);
        String sql = """
                policies:
                  - name: sql-floor
                    model: churn
                    when: {sql: "SELECT avg(value) < 0.85 AS breach, avg(value) AS observed, array_agg(snapshot_id ORDER BY observed_at DESC) AS evidence FROM (SELECT value, snapshot_id, observed_at FROM orchestrator.metric_value WHERE model_id = :model_id AND metric = 'accuracy' AND observed_at <= :at AND recorded_at <= :known_at AND (superseded_at IS NULL OR superseded_at > :known_at) ORDER BY observed_at DESC LIMIT 3) w"}
                    experiment: EXP
                """.replace("EXP", PolicyFiles.inlineExperiment("churn"));
        var specs = PolicyFileParser.parse(sql, "inline", bed.dir()).specs();

        Backtester.Report knownAt = bed.jdbi().withHandle(h -> new Backtester(bed.sqlConditions).run(h, specs, T0, LAST, STEP,
                ValuesAsOf.KNOWN_AT));
        Backtester.Report asNow = bed.jdbi().withHandle(h -> new Backtester(bed.sqlConditions).run(h, specs, T0, LAST, STEP,
                ValuesAsOf.NOW));

        PolicyBed.Evaluation fired = bed.evaluations("floor").get(0);
        assertThat(knownAt.events()).singleElement().satisfies(e -> {
            assertThat(e.at()).isEqualTo(fired.at());
            assertThat(e.evidence()).isEqualTo(fired.evidence());
        });
        assertThat(asNow.events()).as(":known_at is infinity: only current revisions").isEmpty();
    }

    @Test
    void theBacktestCommandSaysWhichValuesItReadAndRefusesBothOptions(PolicyBed bed) throws Exception {
        decideThenRevise(bed);
        Path file = PolicyFiles.write(bed.dir(), "replay.yaml", policy());
        Map<String, String> env = bed.db.environment(Map.of());
        String[] range = {"--from", T0.toString(), "--to", LAST.toString(), "--step", "10m"};

        Cli.Run knownAt = Cli.run(env, concat(new String[]{"policies", "backtest", file.toString(), "--json"}, range));
        Cli.Run asNow = Cli.run(env, concat(new String[]{"policies", "backtest", file.toString(), "--as-now", "--json"}, range));
        Cli.Run text = Cli.run(env, concat(new String[]{"policies", "backtest", file.toString(), "--as-known-at"}, range));
        Cli.Run both = Cli.run(env, concat(new String[]{"policies", "backtest", file.toString(), "--as-now", "--as-known-at"}, range));

        assertThat(knownAt.status()).isEqualTo(ExitCode.OK);
        JsonNode k = Json.MAPPER.readTree(knownAt.out());
        assertThat(k.get("values").asText()).isEqualTo("as_known_at");
        assertThat(k.get("events")).hasSize(1);
        assertThat(k.get("recorded_after_range").asLong()).as("the two revisions").isEqualTo(2);
        JsonNode n = Json.MAPPER.readTree(asNow.out());
        assertThat(n.get("values").asText()).isEqualTo("as_now");
        assertThat(n.get("events")).isEmpty();
        assertThat(n.get("recorded_after_range").asLong()).isZero();
        assertThat(text.out()).contains("on the values known at each instant (--as-known-at): fired 1 times")
                .contains("note: 2 snapshot(s) observed in the range were recorded or revised after it");
        assertThat(both.status()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("--as-now").contains("--as-known-at");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
