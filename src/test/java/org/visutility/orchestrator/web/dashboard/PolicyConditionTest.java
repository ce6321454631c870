package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PolicyConditionTest {

    private static List<PolicyCondition> read(String spec) throws Exception {
        JsonNode json = Json.MAPPER.readTree(spec);
        return PolicyCondition.of(json);
    }

    @Test
    void aSingleConditionIsReadWithItsAggregateWindowAndHold() throws Exception {
        assertThat(read("{\"when\": {\"metric\": \"accuracy\", \"aggregate\": \"mean\", \"window\": \"6h\", \"below\": 0.85, \"for\": \"30m\"}}"))
                .containsExactly(new PolicyCondition("accuracy", "mean", "6h", null, "30m", "below", 0.85));
    }

    @Test
    void aListOfConditionsGivesOneThresholdEachAndABandGivesTwo() throws Exception {
        List<PolicyCondition> conditions = read("""
                {"when": [{"metric": "recall", "below": 0.75},
                          {"metric": "latency_ms", "aggregate": "p95", "window": "1h", "above": 250, "below": 5}]}""");
        assertThat(conditions).extracting(PolicyCondition::metric, PolicyCondition::direction, PolicyCondition::value)
                .containsExactly(tuple("recall", "below", 0.75),
                        tuple("latency_ms", "below", 5.0),
                        tuple("latency_ms", "above", 250.0));
        assertThat(conditions.get(0).describe()).isEqualTo("recall below 0.75");
        assertThat(conditions.get(2).describe()).isEqualTo("p95(latency_ms, 1h) above 250");
    }

    @Test
    void whatCannotBeDrawnIsSkippedNotRefused() throws Exception {
        assertThat(read("{\"when\": \"accuracy < 0.5\"}")).isEmpty();
        assertThat(read("{\"when\": 3}")).isEmpty();
        assertThat(read("{\"cooldown\": \"1h\"}")).isEmpty();
        assertThat(read("null")).isEmpty();
        assertThat(read("{\"when\": [\"x\", null, {\"below\": 0.5}, {\"metric\": \"\", \"below\": 0.5},"
                + " {\"metric\": \"auc\", \"below\": \"0.5\"}, {\"metric\": \"auc\"}, {\"metric\": \"auc\", \"above\": 0.2}]}"))
                .containsExactly(new PolicyCondition("auc", null, null, null, null, "above", 0.2));
    }

    @Test
    void aConditionOverTheLastSnapshotsKeepsItsWindowInTheDescription() throws Exception {
        List<PolicyCondition> conditions = read("""
                {"when": [{"metric": "accuracy", "aggregate": "mean", "snapshots": 3, "below": 0.9},
                          {"metric": "recall", "snapshots": 1, "below": 0.7},
                          {"metric": "auc", "window": "2h", "above": 0.99}]}""");
        assertThat(conditions).extracting(PolicyCondition::describe).containsExactly(
                "mean(accuracy) over last 3 snapshots below 0.9",
                "mean(recall) over last 1 snapshot below 0.7",
                "mean(auc, 2h) above 0.99");
        assertThat(conditions.get(0).toJson().path("snapshots").asInt()).isEqualTo(3);
    }
}
