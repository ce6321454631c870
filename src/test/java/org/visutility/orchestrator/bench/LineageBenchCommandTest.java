package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.lineage.DocumentedQuestions;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** bench lineage works end to end at the smallest size (its figures are not asserted: benchmarks are commands, not tests). */
@ExtendWith(PostgresExtension.class)
class LineageBenchCommandTest {

    @Test
    void benchLineageBuildsBothHistoriesTimesEveryDocumentedQuestionAndDropsItsScratchDatabase(TestDatabase db) throws Exception {
        Cli.Run run = Cli.run(db.environment(Map.of()), "bench", "lineage", "--size", "0.0001", "--repetitions", "3", "--json");

        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        // the tests' log lines share stdout with the command's output: the result is its one JSON line
        String json = run.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
        JsonNode r = Json.MAPPER.readTree(json);
        assertThat(r.get("models").asInt()).isEqualTo(1);
        assertThat(r.get("full").get("snapshots").asLong()).isEqualTo(1_000);
        assertThat(r.get("smaller").get("snapshots").asLong()).isEqualTo(100);
        assertThat(r.get("full").get("experiments").asInt()).isEqualTo(2);
        // the one model sends four histograms an hour (three inputs and its score) beside its snapshots
        assertThat(r.get("smaller").get("histograms").asLong()).isEqualTo(4L * 50);
        assertThat(r.get("full").get("histograms").asLong()).isEqualTo(4L * 500);
        assertThat(r.get("full").get("trials").asLong()).isEqualTo(100);
        // the accuracy floor and the two drift rules applied, then the floor changed (its version 2); late labels revised the
        // newest window its first pass read
        assertThat(r.get("smaller").get("policy_versions").asInt()).isEqualTo(3);
        assertThat(r.get("full").get("policy_versions").asInt()).isEqualTo(1);
        assertThat(r.get("smaller").get("firings").asInt()).as("the inputs and scores moved in the newest hours: both drift rules fire")
                .isGreaterThanOrEqualTo(2);
        assertThat(r.get("smaller").get("revisions").asLong()).isEqualTo(1);
        assertThat(r.get("smaller").get("policy_enqueued").asInt()).isEqualTo(r.get("smaller").get("firings").asInt());
        int questions = DocumentedQuestions.parse(Files.readString(Path.of("docs/lineage.md"))).size();
        assertThat(r.get("queries")).hasSize(questions);
        for (JsonNode q : r.get("queries")) {
            assertThat(q.get("full").get("median_ms").asDouble()).as(q.get("question").asText()).isPositive();
            assertThat(q.get("smaller").get("median_ms").asDouble()).as(q.get("question").asText()).isPositive();
        }
        // the history is real enough for the questions to find rows (churn's last accuracy values, its trials...)
        long answered = 0;
        for (JsonNode q : r.get("queries")) if (q.get("full").get("rows").asInt() > 0) answered++;
        assertThat(answered).isGreaterThanOrEqualTo(5);
        // one experiment in ten has two objectives (experiment 0 here, of the smaller history's window): its front is found at both sizes
        JsonNode pareto = null;
        for (JsonNode q : r.get("queries")) if (q.get("question").asText().contains("Pareto front")) pareto = q;
        assertThat(pareto).as("the Pareto front question").isNotNull();
        assertThat(pareto.get("smaller").get("rows").asInt()).isPositive();
        assertThat(pareto.get("full").get("rows").asInt()).isEqualTo(pareto.get("smaller").get("rows").asInt());
        boolean scratchLeft = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) > 0 FROM pg_database WHERE datname LIKE '%bench_lineage%'").mapTo(Boolean.class).one());
        assertThat(scratchLeft).isFalse();
    }

    @Test
    void aSizeOutsideItsRangeIsRefusedAsBadUsage(TestDatabase db) {
        Cli.Run run = Cli.run(db.environment(Map.of()), "bench", "lineage", "--size", "2");

        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--size must be from");
    }
}
