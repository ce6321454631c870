package org.visutility.orchestrator.functional;

import org.visutility.orchestrator.support.TrialRow;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The median rule through the engine and the command trainer: bad trials stopped mid-way, good ones spared. */
@ExtendWith(PostgresExtension.class)
class MedianPruningTest {
    @TempDir
    Path home;

    @Test
    void aTrialReportingWorseThanTheMedianIsStoppedAndPrunedAndABetterOneRunsToItsEnd(TestDatabase db) throws Exception {
        // trials 0-4 set the median (loss 1.4 down to 1.0 over steps 0-4); from trial 5 on, even
        // trials do better (0.4 down to 0.0), odd ones stay at 2.0 and would then hang for 30 s
        Path script = Files.writeString(home.resolve("train.sh"), """
                n=$ORCH_TRIAL_NUMBER
                for s in 0 1 2 3 4; do
                  if [ "$n" -lt 5 ]; then v="1.$((4 - s))"; elif [ $((n % 2)) -eq 0 ]; then v="0.$((4 - s))"; else v="2.0"; fi
                  echo "{\\"step\\": $s, \\"loss\\": $v}"
                  if [ "$n" -ge 5 ] && [ $((n % 2)) -eq 1 ] && [ "$s" -eq 1 ]; then sleep 30; fi
                done
                echo "{\\"loss\\": $v}"
                """);
        long id = Experiments.queue(db, """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 1}
                budget: {trials: 10, max_failed: 1}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: command, command: [sh, %s], timeout: 20s}
                pruning: {rule: median, warmup_steps: 1, min_trials: 5}
                """.formatted(script));
        Experiments.runner(db, home).run(id, false);

        // three pruned trials do not fail an experiment whose max_failed is 1: pruned is not failed
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        List<TrialRow> trials = Experiments.trialRows(db, id);
        assertThat(trials).extracting(TrialRow::numberAndStatus).containsExactly(
                "0:complete", "1:complete", "2:complete", "3:complete", "4:complete",
                "5:pruned", "6:complete", "7:pruned", "8:complete", "9:pruned");
        // stopped at step 1 (the first step after the warm-up), its process killed (not timed out)
        assertThat(trials.get(5).reports()).contains("\"step\": 1").doesNotContain("\"step\": 2");
        assertThat(trials.get(5).error()).isEmpty();
        assertThat(trials.get(6).score()).hasValue(0.0);
    }
}
