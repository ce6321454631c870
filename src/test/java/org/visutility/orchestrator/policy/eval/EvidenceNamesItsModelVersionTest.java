package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a recorded decision's evidence says: each condition names the model version its snapshots
 * observed, and a staleness condition cites the model's last snapshot (or says there was none), so a
 * join on the evidence never drops a staleness firing.
 */
@ExtendWith(PolicyBedExtension.class)
class EvidenceNamesItsModelVersionTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void aThresholdFiringNamesTheModelVersionOfItsEvidenceAndListsBothWhenTheWindowSpansTwo(PolicyBed bed) throws Exception {
        bed.history().model("mv").version("v6").from(T0).every(HOUR).values(0.8);
        bed.history().model("mv").version("v7").from(T0.plus(HOUR)).every(HOUR).values(0.8);
        bed.history().model("one").version("v3").from(T0).every(HOUR).values(0.8);
        bed.apply("""
                policies:
                  - name: two-versions
                    model: mv
                    when: {metric: accuracy, aggregate: mean, window: 3h, below: 0.85}
                    experiment: EXPERIMENT_MV
                  - name: one-version
                    model: one
                    when: {metric: accuracy, aggregate: mean, window: 3h, below: 0.85}
                    experiment: EXPERIMENT_ONE
                """.replace("EXPERIMENT_MV", PolicyFiles.inlineExperiment("mv"))
                .replace("EXPERIMENT_ONE", PolicyFiles.inlineExperiment("one")));

        bed.evaluateAt(T0.plus(HOUR));

        JsonNode one = condition(bed, "one-version");
        assertThat(one.path("model_version").asText()).isEqualTo("v3");
        assertThat(one.path("model_version_id").asLong()).isEqualTo(versionId(bed, "one", "v3"));
        assertThat(one.path("model_versions").toString())
                .isEqualTo("[{\"id\":" + versionId(bed, "one", "v3") + ",\"version\":\"v3\"}]");

        JsonNode two = condition(bed, "two-versions");
        assertThat(two.has("model_version")).as("several versions: only the list").isFalse();
        assertThat(two.path("model_versions").findValuesAsText("version")).containsExactly("v6", "v7");
    }

    @Test
    void aStalenessFiringCitesTheLastSnapshotOrSaysThereWasNone(PolicyBed bed) throws Exception {
        List<Long> snapshots = bed.history().model("old").version("v1").from(T0).every(HOUR).values(0.9, 0.9);
        bed.apply("""
                policies:
                  - name: stale-old
                    model: old
                    when: {no_successful_retrain_for: 1d}
                    experiment: EXPERIMENT_OLD
                  - name: stale-silent
                    model: silent
                    when: {no_successful_retrain_for: 1d}
                    experiment: EXPERIMENT_SILENT
                """.replace("EXPERIMENT_OLD", PolicyFiles.inlineExperiment("old"))
                .replace("EXPERIMENT_SILENT", PolicyFiles.inlineExperiment("silent")));

        // the silent model is known since its policy registered it (now): evaluate well past a day later
        bed.evaluateAt(Instant.now().plus(Duration.ofDays(3)));

        PolicyBed.Evaluation old = bed.evaluations("stale-old").get(0);
        assertThat(old.to()).isEqualTo("firing");
        assertThat(old.evidence()).as("the last snapshot is the evidence").containsExactly(snapshots.get(1));
        JsonNode lastSnapshot = conditionOf(old).path("last_snapshot");
        assertThat(lastSnapshot.path("snapshot_id").asLong()).isEqualTo(snapshots.get(1));
        assertThat(lastSnapshot.path("observed_at").asText()).isEqualTo(T0.plus(HOUR).toString());
        assertThat(conditionOf(old).path("model_version").asText()).isEqualTo("v1");
        long joined = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM lineage.policy_history p
                  JOIN orchestrator.metric_snapshot s ON s.id = ANY (p.evidence_snapshot_ids)
                 WHERE p.policy = 'stale-old' AND p.event = 'fired'""").mapTo(Long.class).one());
        assertThat(joined).as("a join on the evidence keeps the staleness firing").isEqualTo(1);

        PolicyBed.Evaluation silent = bed.evaluations("stale-silent").get(0);
        assertThat(silent.to()).isEqualTo("firing");
        assertThat(silent.evidence()).isEmpty();
        assertThat(conditionOf(silent).path("last_snapshot").asText()).isEqualTo("none");
    }

    private static JsonNode condition(PolicyBed bed, String policy) throws Exception {
        List<PolicyBed.Evaluation> evaluations = bed.evaluations(policy);
        assertThat(evaluations).isNotEmpty();
        return conditionOf(evaluations.get(0));
    }

    private static JsonNode conditionOf(PolicyBed.Evaluation e) {
        try {
            return Json.MAPPER.readTree(e.detail()).path("conditions").path(0);
        } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    private static long versionId(PolicyBed bed, String model, String version) {
        return bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT v.id FROM orchestrator.model_version v JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = :m AND v.version = :v""").bind("m", model).bind("v", version).mapTo(Long.class).one());
    }
}
