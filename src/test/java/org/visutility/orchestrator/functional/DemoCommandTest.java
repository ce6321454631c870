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
    private static final Pattern VERDICT = Pattern.compile("on the fresh rows: accuracy ([0-9.]+) vs ([0-9.]+) -> APPROVED");

    @Test
    void theDemoClosesTheLoopTwiceTheGateApprovesV2AndTheRetrainIsVerifiedRecovered(TestDatabase db, @TempDir Path home) {
        Map<String, String> env = db.environment(Map.of("ORCHESTRATOR_HOME", home.toString()));
        for (String model : List.of("demo-breast-cancer", "demo-breast-cancer-run2")) {
            Cli.Run run = Cli.run(env, "demo");
            assertThat(run.status()).as(run.out() + run.err()).isEqualTo(ExitCode.OK);
            Matcher verdict = VERDICT.matcher(run.out());
            assertThat(verdict.find()).as(run.out()).isTrue();
            assertThat(Double.parseDouble(verdict.group(1))).isGreaterThan(Double.parseDouble(verdict.group(2)));
            assertThat(run.out()).contains("Why was " + model + " retrained").contains("status             | succeeded")
                    .contains("webhook received \"approved\"").contains("HMAC signature verified")
                    .contains("Did it help? (lineage.retrain_outcome)").containsPattern("outcome +\\| recovered");

            // what was printed is what the lineage holds
            Map<String, Object> lineage = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT l.trigger, l.policy, l.status, l.trials_total, l.produced_version, l.produced_version_status,
                           cardinality(l.evidence_snapshot_ids) AS evidence
                      FROM lineage.experiment_lineage l WHERE l.model = :model""").bind("model", model).mapToMap().one());
            assertThat(lineage).containsEntry("trigger", "policy").containsEntry("status", "succeeded")
                    .containsEntry("trials_total", 20L)
                    // the gate approved v2, and the serving stack's first snapshots under it made it active
                    .containsEntry("produced_version_status", "active");
            Map<String, Object> outcome = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT o.gate_verdict, o.gate_candidate_score > o.gate_active_score AS better, o.activated_by, o.outcome,
                           o.metric_after >= o.verification_threshold AS above_line,
                           (SELECT count(*) FROM lineage.promotion_notifications n WHERE n.model = o.model AND n.state = 'delivered') AS told
                      FROM lineage.retrain_outcome o WHERE o.model = :model""").bind("model", model).mapToMap().one());
            assertThat(outcome).containsEntry("gate_verdict", "approved").containsEntry("better", true)
                    .containsEntry("activated_by", "serving").containsEntry("outcome", "recovered")
                    .containsEntry("above_line", true).containsEntry("told", 1L);
            assertThat((Integer) lineage.get("evidence")).isPositive();
            Long snapshots = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT count(*) FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                     WHERE m.name = :model AND s.source = 'demo'""").bind("model", model).mapTo(Long.class).one());
            // v1's twelve drifting windows, then v2's windows until verification decided
            assertThat(snapshots).isGreaterThan(12);
        }
    }
}
