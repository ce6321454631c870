package org.visutility.orchestrator.functional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchestrator policies apply|list} as a user runs them. */
@ExtendWith(PolicyBedExtension.class)
class PoliciesCommandsTest {
    private static final String EXPERIMENT = """
            model: churn
            objective: {metric: val_accuracy, direction: maximize}
            strategy: {name: random, seed: 42}
            budget: {trials: 40, parallel: 2}
            space: {learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}}
            trainer: {type: command, command: [python3, train.py]}
            """;
    private static final String FILE = """
            policies:
              - name: churn-accuracy-floor
                model: churn
                when: {metric: accuracy, aggregate: mean, window: 6h, below: 0.85, min_samples: 1000, for: 30m}
                cooldown: 24h
                experiment: churn-tuning.yaml
              - name: churn-stale
                model: churn
                when: {no_successful_retrain_for: 30d}
                experiment: churn-tuning.yaml
            """;

    private Cli.Run last;

    @BeforeEach
    void experimentSpecBesideThePolicies(PolicyBed bed) {
        PolicyFiles.write(bed.dir(), "churn-tuning.yaml", EXPERIMENT);
    }

    private int run(PolicyBed bed, String... args) {
        last = Cli.run(bed.db.environment(Map.of()), args);
        return last.status();
    }

    private String stdout() {
        return last.out();
    }

    private String stderr() {
        return last.err();
    }

    private int count(PolicyBed bed, String table) {
        return bed.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator." + table).mapTo(Integer.class).one());
    }

    @Test
    void applyingTheSameFileTwiceChangesNothingTheSecondTime(PolicyBed bed) {
        Path file = PolicyFiles.write(bed.dir(), "policies.yaml", FILE);
        assertThat(run(bed, "policies", "apply", file.toString())).isEqualTo(ExitCode.OK);
        assertThat(stdout()).contains("created   churn-accuracy-floor v1 (model churn)").contains("created   churn-stale v1");
        String updatedAt = bed.jdbi().withHandle(h -> h.createQuery("SELECT string_agg(updated_at::text, ',' ORDER BY id) FROM orchestrator.retrain_policy")
                .mapTo(String.class).one());

        assertThat(run(bed, "policies", "apply", file.toString(), "--json")).isEqualTo(ExitCode.OK);
        JsonNode json = parse(stdout());
        assertThat(json.get("policies")).hasSize(2).allSatisfy(p -> {
            assertThat(p.get("action").asText()).isEqualTo("unchanged");
            assertThat(p.get("version").asInt()).isEqualTo(1);
        });
        assertThat(count(bed, "retrain_policy_version")).isEqualTo(2);
        String updatedAtAfter = bed.jdbi().withHandle(h -> h.createQuery(
                "SELECT string_agg(updated_at::text, ',' ORDER BY id) FROM orchestrator.retrain_policy").mapTo(String.class).one());
        assertThat(updatedAtAfter).isEqualTo(updatedAt);
    }

    @Test
    void aChangedPolicyGetsANewVersionAndTheOldOneStays(PolicyBed bed) {
        Path file = PolicyFiles.write(bed.dir(), "policies.yaml", FILE);
        run(bed, "policies", "apply", file.toString());
        PolicyFiles.write(bed.dir(), "policies.yaml", FILE.replace("below: 0.85", "below: 0.83"));

        assertThat(run(bed, "policies", "apply", file.toString())).isEqualTo(ExitCode.OK);
        assertThat(stdout()).contains("updated   churn-accuracy-floor v1 -> v2").contains("unchanged churn-stale v1");
        String specs = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT string_agg(v.version || ':' || (v.spec -> 'when' -> 0 ->> 'below'), ' ' ORDER BY v.version)
                  FROM orchestrator.retrain_policy_version v JOIN orchestrator.retrain_policy p ON p.id = v.policy_id
                 WHERE p.name = 'churn-accuracy-floor'""").mapTo(String.class).one());
        assertThat(specs).isEqualTo("1:0.85 2:0.83");

        PolicyFiles.write(bed.dir(), "churn-tuning.yaml", EXPERIMENT.replace("trials: 40", "trials: 50"));
        run(bed, "policies", "apply", file.toString());
        assertThat(stdout()).as("a changed experiment spec is a changed policy")
                .contains("updated   churn-accuracy-floor v2 -> v3").contains("updated   churn-stale v1 -> v2");
    }

    @Test
    void aPolicyRemovedFromItsFileIsDisabledAndComesBackWhenReadded(PolicyBed bed) {
        Path file = PolicyFiles.write(bed.dir(), "policies.yaml", FILE);
        run(bed, "policies", "apply", file.toString());
        String onlyFloor = FILE.substring(0, FILE.indexOf("  - name: churn-stale"));
        PolicyFiles.write(bed.dir(), "policies.yaml", onlyFloor);

        run(bed, "policies", "apply", file.toString());
        assertThat(stdout()).contains("disabled  churn-stale v1");
        run(bed, "policies", "list", "--json");
        JsonNode list = parse(stdout());
        assertThat(list).hasSize(2);
        assertThat(list.get(1).get("name").asText()).isEqualTo("churn-stale");
        assertThat(list.get(1).get("enabled").asBoolean()).isFalse();

        PolicyFiles.write(bed.dir(), "policies.yaml", FILE);
        run(bed, "policies", "apply", file.toString());
        assertThat(stdout()).contains("enabled   churn-stale v1");
    }

    @Test
    void anInvalidFileIsRejectedWholeWithTheLineAndTheReasonAndExit2(PolicyBed bed) {
        Path good = PolicyFiles.write(bed.dir(), "good.yaml", FILE);
        run(bed, "policies", "apply", good.toString());
        int versions = count(bed, "retrain_policy_version");
        Path bad = PolicyFiles.write(bed.dir(), "bad.yaml", FILE.replace("name: churn-stale", "name: churn-new")
                .replace("window: 6h", "window: 6 hours"));

        assertThat(run(bed, "policies", "apply", bad.toString())).isEqualTo(ExitCode.USAGE);

        assertThat(stderr()).contains("bad.yaml:4: policies[0].when.window: '6 hours' is not a duration").contains("nothing was applied");
        assertThat(count(bed, "retrain_policy_version")).isEqualTo(versions);
        assertThat(count(bed, "retrain_policy")).isEqualTo(2);
    }

    @Test
    void aCustomPredicateThatCannotRunIsRejectedAtApplyWithItsLine(PolicyBed bed) {
        Path file = PolicyFiles.write(bed.dir(), "sql.yaml", """
                policies:
                  - name: sneaky
                    model: churn
                    when:
                      - {metric: accuracy, window: 1h, below: 0.9}
                      - {sql: "WITH gone AS (DELETE FROM orchestrator.metric_value RETURNING 1) SELECT count(*) > 0 AS breach FROM gone"}
                    experiment: churn-tuning.yaml
                  - name: shapeless
                    model: churn
                    when: {sql: "SELECT 1 AS answer"}
                    experiment: churn-tuning.yaml
                """);

        assertThat(run(bed, "policies", "apply", file.toString())).isEqualTo(ExitCode.USAGE);

        assertThat(stderr()).contains("sql.yaml:6: policies[0].when[1]: the predicate does not run: "
                        + "WITH clause containing a data-modifying statement must be at the top level")
                .contains("sql.yaml:10: policies[1].when: the predicate does not run: the query must return a boolean column named breach");
        assertThat(count(bed, "retrain_policy")).isZero();
    }

    @Test
    void listShowsEachPolicyItsVersionAndTheStateOfItsModel(PolicyBed bed) {
        bed.history().model("churn").from(Instant.parse("2026-06-01T00:00:00Z")).samples(5000).values(0.7);
        Path file = PolicyFiles.write(bed.dir(), "policies.yaml", FILE.replace("for: 30m", "for: 0s"));
        run(bed, "policies", "apply", file.toString());
        bed.evaluateAt(Instant.parse("2026-06-01T00:05:00Z"));

        assertThat(run(bed, "policies", "list")).isEqualTo(ExitCode.OK);
        assertThat(stdout()).containsPattern("churn-accuracy-floor\\s+v1\\s+churn\\s+yes\\s+firing\\s+2026-06-01T00:05:00Z\\s+0\\.700000\\s+\\d+")
                .containsPattern("churn-stale\\s+v1\\s+churn\\s+yes\\s+ok");

        run(bed, "policies", "list", "--json");
        JsonNode floor = parse(stdout()).get(0);
        assertThat(floor.get("state").asText()).isEqualTo("firing");
        assertThat(floor.get("last_observed").asDouble()).isEqualTo(0.7);
        assertThat(floor.get("open_experiment").asLong()).isPositive();
    }

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
