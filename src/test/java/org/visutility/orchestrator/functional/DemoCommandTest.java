package org.visutility.orchestrator.functional;

import org.visutility.orchestrator.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@Slow
@ExtendWith(PostgresExtension.class)
class DemoCommandTest {
    private static final Pattern VERDICT = Pattern.compile("mean over the drifted windows: v1 ([0-9.]+), v2 ([0-9.]+) -> v2 beats v1");

    @Test
    void theDemoClosesTheLoopTwiceAndV2BeatsV1OnTheDriftedWindows(TestDatabase db, @TempDir Path home) {
        Map<String, String> env = db.environment(Map.of("ORCHESTRATOR_HOME", home.toString()));
        for (String model : List.of("demo-breast-cancer", "demo-breast-cancer-run2")) {
            Cli.Run run = Cli.run(env, "demo");
            assertThat(run.status()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
            Matcher verdict = VERDICT.matcher(run.out());
            assertThat(verdict.find()).as(run.out()).isTrue();
            assertThat(Double.parseDouble(verdict.group(2))).isGreaterThan(Double.parseDouble(verdict.group(1)));
            assertThat(run.out()).contains("Why was " + model + " retrained").contains("status             | succeeded");

            // what was printed is what the lineage holds
            Map<String, Object> lineage = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT l.trigger, l.policy, l.status, l.trials_total, l.produced_version, l.produced_version_status,
                           cardinality(l.evidence_snapshot_ids) AS evidence
                      FROM lineage.experiment_lineage l WHERE l.model = :model""").bind("model", model).mapToMap().one());
            assertThat(lineage).containsEntry("trigger", "policy").containsEntry("status", "succeeded")
                    .containsEntry("trials_total", 20L)
                    // the demo's spec has no gate: v2 is approved ("no gate"), and its first snapshots make it active
                    .containsEntry("produced_version_status", "active");
            assertThat((Integer) lineage.get("evidence")).isPositive();
            Long snapshots = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT count(*) FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                     WHERE m.name = :model AND s.source = 'demo'""").bind("model", model).mapTo(Long.class).one());
            assertThat(snapshots).isEqualTo(12);
        }
    }
}
