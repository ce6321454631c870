package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A threshold line is read against the whole chart: the first policy version's is drawn from the window's start. */
class ThresholdWindowTest {
    private static final Instant START = Instant.parse("2026-11-18T00:00:00Z");
    private static final Instant END = Instant.parse("2026-11-21T00:00:00Z");

    private static TimelineReader.PolicyVersion version(String policy, int version, double below, String from, String to) throws Exception {
        return new TimelineReader.PolicyVersion(version, policy, version,
                PolicyCondition.of(Json.MAPPER.readTree("{\"when\": {\"metric\": \"f1\", \"below\": " + below + "}}")),
                Instant.parse(from), to == null ? null : Instant.parse(to));
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.path(field).asText()));
        return out;
    }

    @Test
    void aPolicyAppliedInsideTheWindowIsDrawnFromItsStartAndSaysWhenItWasApplied() throws Exception {
        JsonNode t = TimelineReader.thresholds("f1", List.of(version("floor", 1, 0.8, "2026-11-20T20:00:00Z", null)), START, END);
        assertThat(texts(t, "from")).containsExactly("2026-11-18T00:00:00Z");
        assertThat(texts(t, "to")).containsExactly("2026-11-21T00:00:00Z");
        assertThat(texts(t, "applied_at")).containsExactly("2026-11-20T20:00:00Z");
    }

    @Test
    void laterVersionsStepAtTheirApplyTimeAndAPolicyAppliedAfterTheWindowIsNotDrawn() throws Exception {
        JsonNode t = TimelineReader.thresholds("f1", List.of(
                version("floor", 1, 0.8, "2026-11-19T00:00:00Z", "2026-11-20T00:00:00Z"),
                version("floor", 2, 0.85, "2026-11-20T00:00:00Z", null),
                version("late", 1, 0.7, "2026-11-22T00:00:00Z", null)), START, END);
        assertThat(texts(t, "policy")).containsExactly("floor", "floor");
        assertThat(texts(t, "from")).containsExactly("2026-11-18T00:00:00Z", "2026-11-20T00:00:00Z");
        assertThat(texts(t, "to")).containsExactly("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");
    }
}
