package org.visutility.orchestrator.lineage.openlineage;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** How experiments map onto OpenLineage's names and event types. */
class RunEventsTest {
    @Test
    void datasetsAreNamedAfterOpenLineagesConventions() {
        assertThat(RunEvents.datasetName("/data/churn/train.csv")).isEqualTo(new RunEvents.DatasetName("file", "/data/churn/train.csv"));
        assertThat(RunEvents.datasetName("s3://warehouse/fraud/2026-11.parquet"))
                .isEqualTo(new RunEvents.DatasetName("s3://warehouse", "fraud/2026-11.parquet"));
        assertThat(RunEvents.datasetName("classpath:org/visutility/orchestrator/datasets/digits.csv"))
                .isEqualTo(new RunEvents.DatasetName("classpath", "org/visutility/orchestrator/datasets/digits.csv"));
    }

    @Test
    void theRunIdDependsOnTheNamespaceTheExperimentAndItsQueueTimeOnly() {
        Instant queued = Instant.parse("2026-11-20T04:00:00Z");
        assertThat(RunEvents.runId("prod", 7, queued)).isEqualTo(RunEvents.runId("prod", 7, queued));
        assertThat(RunEvents.runId("prod", 7, queued)).isNotEqualTo(RunEvents.runId("staging", 7, queued))
                .isNotEqualTo(RunEvents.runId("prod", 8, queued)).isNotEqualTo(RunEvents.runId("prod", 7, queued.plusMillis(1)));
    }
}
