package org.visutility.orchestrator.functional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TrialRow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule asha through the engine and the command trainer: trials outside a rung's top third stopped there and recorded pruned. */
@ExtendWith(PostgresExtension.class)
class AshaPruningTest {
    @TempDir
    Path home;

    @Test
    void trialsOutsideTheTopThirdAtARungAreStoppedThereAndRecordedPruned(TestDatabase db) throws Exception {
        // flat loss curves over steps 1..9 (rungs at steps 1 and 3): trial n reports the n-th loss;
        // a trial that should be stopped hangs for 30 s right after the rung that stops it
        Path script = Files.writeString(home.resolve("train.sh"), """
                n=$ORCH_TRIAL_NUMBER
                set -- 5 4 6 1 3 2
                shift $n
                v=$1
                for s in 1 2 3 4 5 6 7 8 9; do
                  echo "{\\"step\\": $s, \\"loss\\": $v}"
                  case "$n:$s" in 2:1|4:1|5:3) sleep 30;; esac
                done
                echo "{\\"loss\\": $v}"
                """);
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 1}
                budget: {trials: 6, max_failed: 1}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: [sh, %s], timeout: 20s}
                pruning: {rule: asha, min_resource: 1, reduction_factor: 3, max_resource: 9}
                """.formatted(script));
        Experiments.runner(db, home).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        List<TrialRow> trials = Experiments.trialRows(db, id);
        assertThat(trials).extracting(TrialRow::numberAndStatus).containsExactly(
                "0:complete", "1:complete", "2:pruned", "3:complete", "4:pruned", "5:pruned");
        // stopped at the rung that judged them, the process killed (not timed out)
        assertThat(trials.get(2).reports()).contains("\"step\": 1").doesNotContain("\"step\": 2");
        assertThat(trials.get(5).reports()).contains("\"step\": 3").doesNotContain("\"step\": 4");
        assertThat(trials.get(5).error()).isEmpty();
        assertThat(trials.get(3).score()).hasValue(1.0);
    }
}
