package org.visutility.orchestrator.recovery;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TPE experiment that crashes in trial k and is restarted proposes, trial for trial, what the
 * same experiment proposes when nothing goes wrong: the restarted strategy rebuilds its
 * estimators from the trial table and replays the same random streams.
 */
@ExtendWith(PostgresExtension.class)
class TpeRestartProposesTheSameParamsTest {
    private static final String SPEC = """
            model: churn
            objective: {metric: loss, direction: minimize}
            strategy: {name: tpe, seed: 5, startup_trials: 3}
            budget: {trials: 14}
            space:
              lr: {type: float, low: 1.0e-4, high: 0.1, log: true}
              layers: {type: int, low: 1, high: 6}
              opt: {type: categorical, choices: [sgd, adam, rmsprop]}
            trainer: %s
            """;

    @TempDir
    Path home;

    @Test
    void aRestartedTpeRunProposesTheParamsOfAnUninterruptedOne(TestDatabase db) {
        long crashed = Experiments.queue(db, SPEC.formatted("{type: test-fault, crash_at: 7}"));
        Experiments.runner(db, home).run(crashed, false);
        assertThat(Experiments.row(db, crashed).status()).isEqualTo(ExperimentStatus.FAILED);
        boolean requeued = db.jdbi().withHandle(h -> ExperimentRows.requeueFailed(h, crashed));
        assertThat(requeued).isTrue();
        Experiments.runner(db, home).run(crashed, false);
        assertThat(Experiments.row(db, crashed).status()).isEqualTo(ExperimentStatus.SUCCEEDED);

        // the same search scored the same way (test-fault scores like sphere), never interrupted
        long smooth = Experiments.queue(db, SPEC.formatted("{type: function, function: sphere}"));
        Experiments.runner(db, home).run(smooth, false);

        List<Map<String, Object>> a = Experiments.trials(db, crashed);
        List<Map<String, Object>> b = Experiments.trials(db, smooth);
        assertThat(a).hasSize(14);
        assertThat(a).extracting(t -> t.get("params")).containsExactlyElementsOf(b.stream().map(t -> t.get("params")).toList());
        assertThat(a).extracting(t -> t.get("score")).containsExactlyElementsOf(b.stream().map(t -> t.get("score")).toList());
        assertThat(a.get(7)).containsEntry("attempt", 2);
        // past the startup trials TPE proposes other points than random search would (it learnt from the scores)
        assertThat(a.subList(3, 14)).extracting(t -> t.get("params")).doesNotHaveDuplicates();
    }
}
