package org.visutility.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * trials exclude and include: an excluded trial leaves its experiment's best set (recomputed and
 * reported, no version registered again), each change is an event in lineage, include restores,
 * and bad input is refused with exit 2 and nothing written.
 */
@ExtendWith(PostgresExtension.class)
class TrialQuarantineTest {
    @TempDir
    Path home;

    private TestDatabase db;
    private long id;
    /** The trials by score, best (lowest loss) first. */
    private List<Map<String, Object>> ranked;

    @BeforeEach
    void finishedExperiment(TestDatabase db) {
        this.db = db;
        id = Experiments.queue(db, Experiments.sphere(4, 11));
        Experiments.runner(db, home).run(id, false);
        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        ranked = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT number, score FROM orchestrator.trial WHERE experiment_id = :id AND status = 'complete' ORDER BY score, number""")
                .bind("id", id).mapToMap().list());
        assertThat(ranked).hasSizeGreaterThanOrEqualTo(2);
    }

    private int number(int rank) {
        return (Integer) ranked.get(rank).get("number");
    }

    private Cli.Run trials(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "trials";
        System.arraycopy(args, 0, all, 1, args.length);
        return OpsCli.run(db, home, all);
    }

    private Map<String, Object> bestSet() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT t.number, hs.score, hs.params::text AS params, (SELECT count(*) FROM orchestrator.model_version mv
                                                                      WHERE mv.experiment_id = hs.experiment_id) AS versions
                  FROM orchestrator.hyperparameter_set hs JOIN orchestrator.trial t ON t.id = hs.trial_id
                 WHERE hs.experiment_id = :id AND hs.replaced_at IS NULL""").bind("id", id).mapToMap().one());
    }

    private long events() {
        return Experiments.count(db, "SELECT count(*) FROM orchestrator.trial_exclusion_event WHERE experiment_id = :id", id);
    }

    @Test
    void excludingTheBestTrialRecomputesTheBestSetAndSaysSoAndIncludeRestoresIt() {
        int best = number(0);
        int second = number(1);
        assertThat(bestSet().get("number")).isEqualTo(best);

        Cli.Run exclude = trials("exclude", Long.toString(id), Integer.toString(best), "--reason", "read the test labels", "--actor", "alice");
        assertThat(exclude.status()).as(exclude.out() + exclude.err()).isEqualTo(ExitCode.OK);
        assertThat(exclude.out())
                .contains("trial " + best + " of experiment " + id + " is excluded (operator:alice)")
                .contains("best set recomputed: trial " + best + " (score ")
                .contains("-> trial " + second + " (score ")
                .contains("no model version is registered again");
        Map<String, Object> now = bestSet();
        assertThat(now.get("number")).isEqualTo(second);
        assertThat(now.get("score")).isEqualTo(ranked.get(1).get("score"));
        assertThat(now.get("versions")).as("no version registered again").isEqualTo(1L);

        Map<String, Object> event = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT action, actor, reason, excluded_now, is_current, previous_best_trial_number, best_trial_number
                  FROM lineage.trial_exclusions WHERE experiment_id = :id""").bind("id", id).mapToMap().one());
        assertThat(event).containsEntry("action", "exclude").containsEntry("actor", "operator:alice")
                .containsEntry("reason", "read the test labels").containsEntry("excluded_now", true).containsEntry("is_current", true)
                .containsEntry("previous_best_trial_number", best).containsEntry("best_trial_number", second);
        Cli.Run show = OpsCli.run(db, home, "experiments", "show", Long.toString(id));
        assertThat(show.out()).contains("complete (excluded)").contains("best set: trial " + second);

        Cli.Run include = trials("include", Long.toString(id), Integer.toString(best), "--reason", "labels were fine", "--actor", "bob",
                "--json");
        assertThat(include.status()).as(include.out() + include.err()).isEqualTo(ExitCode.OK);
        JsonNode out = OpsCli.json(include);
        assertThat(out.path("excluded").asBoolean()).isFalse();
        assertThat(out.path("best_set").path("changed").asBoolean()).isTrue();
        assertThat(out.path("best_set").path("previous_trial").asInt()).isEqualTo(second);
        assertThat(out.path("best_set").path("trial").asInt()).isEqualTo(best);
        assertThat(bestSet().get("number")).isEqualTo(best);
        List<String> history = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT action || ':' || is_current || ':' || excluded_now FROM lineage.trial_exclusions
                 WHERE experiment_id = :id ORDER BY event_id""").bind("id", id).mapTo(String.class).list());
        assertThat(history).containsExactly("exclude:false:false", "include:true:false");
    }

    @Test
    void excludingAnotherTrialLeavesTheBestSetAsItWas() {
        int worst = number(ranked.size() - 1);
        Map<String, Object> before = bestSet();
        Cli.Run exclude = trials("exclude", Long.toString(id), Integer.toString(worst), "--reason", "node had a bad GPU");
        assertThat(exclude.status()).as(exclude.out() + exclude.err()).isEqualTo(ExitCode.OK);
        assertThat(exclude.out()).contains("best set unchanged");
        assertThat(bestSet()).isEqualTo(before);
    }

    @Test
    void badInputIsRefusedWithExit2AndNothingWritten() {
        int best = number(0);
        String e = Long.toString(id);
        String n = Integer.toString(best);
        assertThat(trials("exclude", e, n, "--reason", "first").status()).isEqualTo(ExitCode.OK);
        Map<String, Object> before = bestSet();
        long eventsBefore = events();

        record Case(String why, String[] args, String message) {
        }
        List<Case> cases = List.of(
                new Case("unknown experiment", new String[] {"exclude", "999999", n, "--reason", "x"}, "no experiment 999999"),
                new Case("unknown trial", new String[] {"exclude", e, "99", "--reason", "x"}, "has no trial 99"),
                new Case("already excluded", new String[] {"exclude", e, n, "--reason", "again"}, "is already excluded"),
                new Case("not excluded", new String[] {"include", e, Integer.toString(number(1)), "--reason", "x"}, "is not excluded"),
                new Case("reason missing", new String[] {"exclude", e, Integer.toString(number(1))}, "--reason"),
                new Case("reason blank", new String[] {"exclude", e, Integer.toString(number(1)), "--reason", "  "}, "--reason must not be empty"),
                new Case("reason too long", new String[] {"exclude", e, Integer.toString(number(1)), "--reason", "r".repeat(501)},
                        "--reason must be at most 500 characters"),
                new Case("negative trial", new String[] {"exclude", e, "-1", "--reason", "x"}, "NUMBER"));
        for (Case c : cases) {
            Cli.Run run = trials(c.args());
            assertThat(run.status()).as(c.why() + ": " + run.out() + run.err()).isEqualTo(ExitCode.USAGE);
            assertThat(run.out() + run.err()).as(c.why()).contains(c.message());
        }
        assertThat(events()).isEqualTo(eventsBefore);
        assertThat(bestSet()).isEqualTo(before);
    }
}
