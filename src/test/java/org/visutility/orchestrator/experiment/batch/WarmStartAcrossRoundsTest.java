package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.experiment.InvalidSpecException;
import org.visutility.orchestrator.experiment.TrialExclusions;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.OperatorActions;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** strategy.warm_start through the engine: what seeds a round, its baseline trial, and what never becomes its best set. */
@ExtendWith(PostgresExtension.class)
class WarmStartAcrossRoundsTest {
    private static final Actor OPERATOR = Actor.operator("--actor", "test");

    /** Round one: random search over x, y and n. */
    private static final String ROUND_ONE = """
            model: churn
            objective: {metric: loss, direction: minimize}
            strategy: {name: random, seed: 3}
            budget: {trials: 12}
            space:
              x: {type: float, low: 0.0, high: 1.0}
              y: {type: float, low: 0.0, high: 1.0}
              n: {type: int, low: 1, high: 9}
            trainer: %s
            """;

    /** A later round: y dropped, x narrowed to [0, 0.5]. */
    private static final String LATER = """
            model: churn
            objective: {metric: loss, direction: minimize}
            strategy: {name: tpe, seed: 7, warm_start: %s}
            budget: {trials: %d}
            space:
              x: {type: float, low: 0.0, high: 0.5}
              n: {type: int, low: 1, high: 9}
            trainer: %s
            """;
    private static final String SPHERE = "{type: function, function: sphere}";

    @TempDir
    Path home;
    /** Each test tunes a model of its own (the database is shared): earlier rounds are its own. */
    private final String model = "churn-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    private long run(TestDatabase db, String yaml) {
        long id = Experiments.queue(db, yaml.replace("model: churn", "model: " + model));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        return id;
    }

    private static List<Map<String, Object>> seeds(TestDatabase db, long id) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT source_experiment_id, source_trial_number, params::text AS params, score
                  FROM lineage.warm_start_trials WHERE experiment_id = :id AND role = 'seed' ORDER BY position""")
                .bind("id", id).mapToMap().list());
    }

    private static JsonNode json(Object text) {
        try {
            return Json.MAPPER.readTree((String) text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aWarmStartAcrossAChangedSpaceKeepsOnlyTheCompatibleNotExcludedTrials(TestDatabase db) {
        long first = run(db, ROUND_ONE.formatted(SPHERE));
        List<Map<String, Object>> earlier = Experiments.trials(db, first);
        List<Integer> fitting = earlier.stream().filter(t -> json(t.get("params")).get("x").asDouble() <= 0.5)
                .map(t -> (Integer) t.get("number")).collect(Collectors.toList());
        assertThat(fitting).as("the random draws put some x on either side of 0.5").hasSizeBetween(2, 10);
        int excluded = fitting.get(0);
        db.jdbi().useTransaction(h -> TrialExclusions.change(h, first, excluded, TrialExclusions.Action.EXCLUDE, OPERATOR, "poisoned"));
        fitting.remove(Integer.valueOf(excluded));

        long second = run(db, LATER.formatted("{from: previous_rounds}", 4, SPHERE));

        List<Map<String, Object>> seeds = seeds(db, second);
        assertThat(seeds).extracting(s -> ((Number) s.get("source_trial_number")).intValue())
                .as("oldest first: the source's trials in ascending number").containsExactlyElementsOf(fitting);
        assertThat(seeds).allSatisfy(s -> {
            assertThat(((Number) s.get("source_experiment_id")).longValue()).isEqualTo(first);
            JsonNode p = json(s.get("params"));
            assertThat(p.has("y")).as("the dropped parameter is left out").isFalse();
            assertThat(p.get("x").asDouble()).isBetween(0.0, 0.5);
        });
        String note = db.jdbi().withHandle(h -> h.createQuery("SELECT note FROM orchestrator.warm_start WHERE experiment_id = :id")
                .bind("id", second).mapTo(String.class).one());
        assertThat(note).contains(fitting.size() + " earlier trial(s) seed the strategy")
                .contains("did not fit today's space").contains("no baseline");
    }

    @Test
    void fromExperimentReadsOnlyTheExperimentsListed(TestDatabase db) {
        long a = run(db, ROUND_ONE.formatted(SPHERE).replace("seed: 3", "seed: 4"));
        long b = run(db, ROUND_ONE.formatted(SPHERE).replace("seed: 3", "seed: 5"));
        long c = run(db, LATER.formatted("{from: experiment, ids: [" + a + "]}", 2, SPHERE));
        assertThat(seeds(db, c)).isNotEmpty()
                .allSatisfy(s -> assertThat(((Number) s.get("source_experiment_id")).longValue()).isEqualTo(a).isNotEqualTo(b));
        long d = run(db, LATER.formatted("{from: previous_rounds, max_trials: 3}", 2, SPHERE));
        // c's two trials, then the most recent fitting one of b (oldest first as stored)
        assertThat(seeds(db, d)).as("most recent first, up to max_trials").extracting(s -> ((Number) s.get("source_experiment_id")).longValue())
                .containsExactly(b, c, c);
    }

    @Test
    void theFirstTrialOfAWarmStartedRoundIsTheServingVersionsHyperparameters(TestDatabase db) {
        long first = run(db, ROUND_ONE.formatted(SPHERE));
        db.jdbi().useTransaction(h -> OperatorActions.promote(h, model, "experiment-" + first, true, OPERATOR, "serves now"));
        JsonNode serving = json(db.jdbi().withHandle(h -> h.createQuery("""
                SELECT hs.params::text FROM orchestrator.model_version mv
                  JOIN orchestrator.hyperparameter_set hs ON hs.id = mv.hyperparameter_set_id WHERE mv.experiment_id = :id""")
                .bind("id", first).mapTo(String.class).one()));
        // today's space keeps x and n over their old ranges, y dropped: the serving set fits
        long second = run(db, LATER.formatted("{from: previous_rounds}", 3, SPHERE).replace("high: 0.5", "high: 1.0"));

        JsonNode trialZero = json(Experiments.trials(db, second).get(0).get("params"));
        assertThat(trialZero.get("x")).isEqualTo(serving.get("x"));
        assertThat(trialZero.get("n")).isEqualTo(serving.get("n"));
        assertThat(trialZero.has("y")).isFalse();
        Map<String, Object> baseline = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT trial_number, serving_version, score FROM lineage.warm_start_trials WHERE experiment_id = :id AND role = 'baseline'""")
                .bind("id", second).mapToMap().one());
        assertThat(baseline).containsEntry("trial_number", 0).containsEntry("serving_version", "experiment-" + first);
        assertThat(baseline.get("score")).as("measured on today's data").isEqualTo(Experiments.trials(db, second).get(0).get("score"));
    }

    @Test
    void aServingSetOutsideTodaysSpaceIsNoBaselineAndTheRoundSaysSo(TestDatabase db) {
        long first = run(db, ROUND_ONE.formatted(SPHERE));
        db.jdbi().useTransaction(h -> OperatorActions.promote(h, model, "experiment-" + first, true, OPERATOR, "serves now"));
        long second = run(db, LATER.formatted("{from: previous_rounds}", 2, SPHERE).replace("low: 0.0, high: 0.5", "low: 2.0, high: 3.0"));
        String note = db.jdbi().withHandle(h -> h.createQuery("SELECT note FROM orchestrator.warm_start WHERE experiment_id = :id")
                .bind("id", second).mapTo(String.class).one());
        assertThat(note).contains("no baseline: the serving version's hyperparameters").contains("do not fit today's space");
        assertThat(json(Experiments.trials(db, second).get(0).get("params")).get("x").asDouble()).isBetween(2.0, 3.0);
    }

    @Test
    void theBestSetNeverComesFromAWarmStartObservation(TestDatabase db) throws Exception {
        // round one's trainer reports a loss no sphere trial can reach: its trials seed round two with that score
        Path script = Files.writeString(home.resolve("great.sh"), "echo '{\"loss\": -100}'\n");
        long first = run(db, ROUND_ONE.formatted("{type: command, command: [sh, " + script + "]}"));
        long second = run(db, LATER.formatted("{from: previous_rounds}", 5, SPHERE));

        assertThat(seeds(db, second)).isNotEmpty().allSatisfy(s -> assertThat(s.get("score")).isEqualTo(-100.0));
        Map<String, Object> best = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT t.experiment_id, t.score FROM orchestrator.hyperparameter_set hs JOIN orchestrator.trial t ON t.id = hs.trial_id
                 WHERE hs.experiment_id = :id AND hs.replaced_at IS NULL""").bind("id", second).mapToMap().one());
        assertThat(((Number) best.get("experiment_id")).longValue()).isEqualTo(second).isNotEqualTo(first);
        double ownBest = Experiments.trials(db, second).stream().mapToDouble(t -> (Double) t.get("score")).min().orElseThrow();
        assertThat((Double) best.get("score")).isEqualTo(ownBest).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void aRestartedWarmStartedRunProposesWhatAnUninterruptedOneDoes(TestDatabase db) {
        long source = run(db, ROUND_ONE.formatted(SPHERE));
        String spec = LATER.formatted("{from: experiment, ids: [" + source + "]}", 10, "%s");
        long crashed = Experiments.queue(db, spec.formatted("{type: test-fault, crash_at: 4}").replace("model: churn", "model: " + model));
        Experiments.runner(db, home).run(crashed, false);
        assertThat(Experiments.row(db, crashed).status()).isEqualTo(ExperimentStatus.FAILED);
        // a newer round finishing meanwhile, or an exclusion, must not change what the restarted run learns from
        db.jdbi().useTransaction(h -> TrialExclusions.change(h, source, 0, TrialExclusions.Action.EXCLUDE, OPERATOR, "later doubt"));
        boolean requeued = db.jdbi().withHandle(h -> ExperimentRows.requeueFailed(h, crashed));
        assertThat(requeued).isTrue();
        Experiments.runner(db, home).run(crashed, false);
        assertThat(Experiments.row(db, crashed).status()).isEqualTo(ExperimentStatus.SUCCEEDED);

        db.jdbi().useTransaction(h -> TrialExclusions.change(h, source, 0, TrialExclusions.Action.INCLUDE, OPERATOR, "fine after all"));
        long smooth = run(db, spec.formatted(SPHERE));

        assertThat(seeds(db, crashed)).isNotEmpty().isEqualTo(seeds(db, smooth));
        List<Map<String, Object>> a = Experiments.trials(db, crashed);
        List<Map<String, Object>> b = Experiments.trials(db, smooth);
        assertThat(a).hasSize(10);
        assertThat(a).extracting(t -> t.get("params")).containsExactlyElementsOf(b.stream().map(t -> t.get("params")).toList());
        assertThat(a.get(4)).containsEntry("attempt", 2);
    }

    @Test
    void warmStartIdsOfAnotherModelOrUnknownAreRefusedAtSubmitWritingNothing(TestDatabase db) {
        long other = run(db, ROUND_ONE.formatted(SPHERE).replace("model: churn", "model: fraud-" + model));
        long before = Experiments.count(db, "SELECT count(*) FROM orchestrator.experiment WHERE id > :id", 0);
        ExperimentSpec spec = ExperimentSpec.parseYaml(LATER.formatted("{from: experiment, ids: [" + other + ", 999999]}", 2, SPHERE)
                .replace("model: churn", "model: " + model), "test");
        assertThatThrownBy(() -> db.jdbi().useTransaction(h -> ExperimentRows.insertSubmitted(h, spec, null, Optional.empty())))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("strategy.warm_start.ids[0]: experiment " + other + " tunes model fraud-" + model + ", not " + model)
                .hasMessageContaining("strategy.warm_start.ids[1]: no experiment 999999");
        assertThat(Experiments.count(db, "SELECT count(*) FROM orchestrator.experiment WHERE id > :id", 0)).isEqualTo(before);
    }

    @Test
    void experimentsSubmitRefusesWarmStartIdsOfAnotherModelWithExitTwo(TestDatabase db) throws Exception {
        long other = run(db, ROUND_ONE.formatted(SPHERE).replace("model: churn", "model: fraud-" + model));
        Path file = Files.writeString(home.resolve("warm.yaml"), LATER.formatted("{from: experiment, ids: [" + other + "]}", 2, SPHERE)
                .replace("model: churn", "model: " + model));
        Map<String, String> env = new java.util.HashMap<>(db.environment(Map.of()));
        env.put("ORCHESTRATOR_HOME", home.toString());
        org.visutility.orchestrator.support.Cli.Run cli = org.visutility.orchestrator.support.Cli.run(env, "experiments", "submit", file.toString());
        assertThat(cli.status()).isEqualTo(org.visutility.orchestrator.core.ExitCode.USAGE).isEqualTo(2);
        assertThat(cli.err()).contains("strategy.warm_start.ids[0]: experiment " + other + " tunes model fraud-" + model)
                .contains("nothing was queued");
    }
}
