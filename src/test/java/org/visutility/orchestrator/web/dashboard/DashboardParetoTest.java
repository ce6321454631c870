package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The experiment page's data for several objectives: the front and the selected trial, as the chart draws them. */
@ExtendWith(PostgresExtension.class)
class DashboardParetoTest {
    @TempDir
    Path home;

    @Test
    void aTwoObjectiveExperimentGivesItsObjectivesFrontAndSelectedTrialAndASingleObjectiveOneNone(TestDatabase db) throws Exception {
        Path script = Files.writeString(home.resolve("trainer.sh"), """
                for a in "$@"; do case "$a" in --x=*) x="${a#--x=}";; esac; done
                awk -v x="$x" 'BEGIN { printf "{\\"accuracy\\": %.9f, \\"latency_ms\\": %.9f}\\n", 1 - x*x/10, 10 + 5*(x-2)*(x-2) }'
                """);
        long id = Experiments.queue(db, """
                model: churn
                objective: [{metric: accuracy, direction: maximize}, {metric: latency_ms, direction: minimize}]
                select: {metric: accuracy, constraint: "latency_ms <= 20"}
                strategy: {name: motpe, seed: 4, startup_trials: 3}
                budget: {trials: 8}
                space:
                  x: {type: float, low: -1.0, high: 3.0}
                trainer: {type: command, command: [sh, %s]}
                """.formatted(script));
        Experiments.runner(db, home).run(id, false);
        long single = Experiments.queue(db, Experiments.sphere(2, 1));
        Experiments.runner(db, home).run(single, false);

        ExperimentReader reader = new ExperimentReader(new ReadOnlyDatabase(db.jdbi()));
        ObjectNode page = reader.one(id, 1000);
        JsonNode pareto = page.get("pareto");
        assertThat(pareto.get("objectives").toString())
                .isEqualTo("[{\"metric\":\"accuracy\",\"direction\":\"maximize\"},{\"metric\":\"latency_ms\",\"direction\":\"minimize\"}]");
        assertThat(pareto.get("select").toString()).isEqualTo("{\"metric\":\"accuracy\",\"constraint\":\"latency_ms <= 20\"}");
        List<Integer> front = new ArrayList<>();
        pareto.get("front").forEach(n -> front.add(n.asInt()));
        List<Integer> expected = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT trial_number FROM lineage.pareto_front WHERE experiment_id = :id ORDER BY trial_number").bind("id", id)
                .mapTo(Integer.class).list());
        assertThat(front).isNotEmpty().isEqualTo(expected);
        assertThat(pareto.get("selected").asInt()).isEqualTo(page.get("experiment").get("best_trial_number").asInt()).isIn(front);
        // every trial's values are in its metrics, which the chart plots
        page.get("trials").forEach(t -> assertThat(t.get("metrics").has("latency_ms")).isTrue());
        assertThat(page.get("experiment").has("objectives")).as("kept out of the experiment's facts").isFalse();

        assertThat(reader.one(single, 1000).get("pareto").isNull()).isTrue();
    }
}
