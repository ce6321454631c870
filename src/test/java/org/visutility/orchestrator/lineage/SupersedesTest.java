package org.visutility.orchestrator.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.FaultInjectingTrainer;
import org.visutility.orchestrator.support.OpsCli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * experiments submit --supersedes ID: the new experiment records which failed run it replaces, shown
 * by experiments show, in experiment_lineage and as events on both runs; a run that is still queued
 * or running, one of another model, one that succeeded and an unknown one are refused, writing nothing.
 */
@ExtendWith(PostgresExtension.class)
class SupersedesTest {
    @TempDir
    Path home;

    @Test
    void aResubmissionRecordsTheFailedRunItReplacesOnBothRuns(TestDatabase db) throws Exception {
        long failed = Experiments.queue(db, FaultInjectingTrainer.crashingSpec(1));
        Experiments.runner(db, home).run(failed, false);
        Path spec = Files.writeString(home.resolve("fixed.yaml"), Experiments.sphere(2, 3));

        Cli.Run submit = OpsCli.run(db, home, "experiments", "submit", spec.toString(), "--supersedes", Long.toString(failed), "--json");
        assertThat(submit.status()).as(submit.out() + submit.err()).isEqualTo(ExitCode.OK);
        JsonNode queued = OpsCli.json(submit);
        long next = queued.path("id").asLong();
        assertThat(queued.path("supersedes").asLong()).isEqualTo(failed);

        Cli.Run show = OpsCli.run(db, home, "experiments", "show", Long.toString(failed));
        assertThat(show.out()).contains("superseded by experiment " + next);
        assertThat(OpsCli.run(db, home, "experiments", "show", Long.toString(next)).out()).contains("supersedes experiment " + failed);
        assertThat(ExperimentEventsTest.lineage(db, next)).containsEntry("supersedes_experiment_id", failed);
        assertThat(ExperimentEventsTest.lineage(db, failed)).containsEntry("superseded_by_experiment_id", next);
        assertThat(ExperimentEventsTest.events(db, failed)).extracting(ExperimentEventsTest.Event::event)
                .containsExactly("queued", "claimed", "failed", "superseded");
        assertThat(related(db, failed, "superseded")).isEqualTo(next);
        assertThat(related(db, next, "queued")).isEqualTo(failed);

        Cli.Run twice = OpsCli.run(db, home, "experiments", "submit", spec.toString(), "--supersedes", Long.toString(failed));
        assertThat(twice.status()).isEqualTo(ExitCode.USAGE);
        assertThat(twice.err()).contains("--supersedes: experiment " + failed + " is superseded by experiment " + next + " already");
    }

    @Test
    void aRunStillQueuedOrRunningAnUnknownOneAndOneOfAnotherModelCannotBeSuperseded(TestDatabase db) throws Exception {
        long queued = Experiments.queue(db, Experiments.sphere(2, 1));
        long running = Experiments.queue(db, Experiments.sphere(2, 2));
        db.jdbi().useHandle(h -> h.execute("UPDATE orchestrator.experiment SET status = 'running', owner = 'some-node' WHERE id = ?", running));
        long otherModel = Experiments.queue(db, FaultInjectingTrainer.crashingSpec(0).replace("model: churn", "model: fraud"));
        Experiments.runner(db, home).run(otherModel, false);
        Path spec = Files.writeString(home.resolve("again.yaml"), Experiments.sphere(2, 3));
        long before = count(db);

        assertThat(refusal(db, spec, running)).contains("--supersedes: experiment " + running + " is still running;");
        assertThat(refusal(db, spec, queued)).contains("--supersedes: experiment " + queued + " is still queued;");
        assertThat(refusal(db, spec, 987654)).contains("--supersedes: no experiment 987654");
        assertThat(refusal(db, spec, otherModel)).contains("--supersedes: experiment " + otherModel + " is of model fraud, not churn");
        assertThat(count(db)).as("nothing was queued").isEqualTo(before);

        // once cancelled, the queued run may be replaced
        assertThat(OpsCli.run(db, home, "experiments", "cancel", Long.toString(queued)).status()).isEqualTo(ExitCode.OK);
        Cli.Run replaced = OpsCli.run(db, home, "experiments", "submit", spec.toString(), "--supersedes", Long.toString(queued));
        assertThat(replaced.status()).as(replaced.out() + replaced.err()).isEqualTo(ExitCode.OK);
        assertThat(ExperimentEventsTest.events(db, queued)).extracting(ExperimentEventsTest.Event::event)
                .containsExactly("queued", "cancelled", "superseded");
    }

    private String refusal(TestDatabase db, Path spec, long id) {
        Cli.Run run = OpsCli.run(db, home, "experiments", "submit", spec.toString(), "--supersedes", Long.toString(id));
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(ExitCode.USAGE);
        return run.err();
    }

    private static long count(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.experiment").mapTo(Long.class).one());
    }

    private static long related(TestDatabase db, long id, String event) {
        List<Long> ids = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT related_experiment_id FROM lineage.experiment_events WHERE experiment_id = :id AND event = :event""")
                .bind("id", id).bind("event", event).mapTo(Long.class).list());
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }
}
