package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.node.DoubleNode;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.FaultInjectingTrainer;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The ground of the trials unit's tests: a run that crashed in trial 4 (trials 0-3 complete, 4 left
 * running), its experiment back to running as a new owner would hold it, with the trials step's
 * execution row as Spring Batch would write it after the next unit.
 */
final class RunWithAnOpenTrial {
    private static final String STATE = """
            SELECT (SELECT string_agg(number || ':' || status || ':' || attempt, ',' ORDER BY number)
                      FROM orchestrator.trial WHERE experiment_id = :id)
                   || ' | ' || (SELECT c.short_context FROM batch.batch_step_execution_context c WHERE c.step_execution_id = :step)
                   || ' | ' || (SELECT s.version || ':' || s.commit_count FROM batch.batch_step_execution s WHERE s.step_execution_id = :step)
            """;

    final TestDatabase db;
    final long id;
    final RunControl run;
    final StepRowInUnit.Row row;
    final BatchInfrastructure batch;

    RunWithAnOpenTrial(TestDatabase db, Path home) {
        this.db = db;
        id = Experiments.queue(db, FaultInjectingTrainer.crashingSpec(4));
        Experiments.runner(db, home).run(id, false);
        int version = db.jdbi().withHandle(h -> h.createQuery(
                        "UPDATE orchestrator.experiment SET status = 'running', finished_at = NULL, error = NULL WHERE id = :id RETURNING version")
                .bind("id", id).mapTo(Integer.class).one());
        run = new RunControl(id, Experiments.OWNER, new ExperimentRows.Claim(version, 1, Instant.now()));
        row = db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT s.* FROM batch.batch_step_execution s JOIN orchestrator.experiment e ON e.job_execution_id = s.job_execution_id
                         WHERE e.id = :id AND s.step_name = 'trials'""")
                .bind("id", id)
                .map((rs, ctx) -> new StepRowInUnit.Row(rs.getLong("step_execution_id"), rs.getLong("job_execution_id"),
                        rs.getInt("version"), rs.getTimestamp("start_time").toLocalDateTime(), null, "STARTED",
                        rs.getLong("commit_count") + 1, 0, 0, 0, 0, 0, 0, 0, "EXECUTING", ""))
                .one());
        batch = BatchInfrastructure.create(db.dataSource());
    }

    /**
     * The unit's writes, in the caller's transaction: trial {@code ended} completes, trial 10 is
     * proposed, the checkpoint and {@code stepRow} are written; with {@code commit}, the unit's commit
     * rides with its statement.
     */
    void unit(RunControl owner, StepRowInUnit.Row stepRow, int ended, boolean commit) {
        UnitWrites writes = new UnitWrites(batch.transactionalJdbi(), owner);
        writes.finish(ended, TrialStatus.COMPLETE, OptionalDouble.of(0.5), Map.of("loss", 0.5), List.of(), Optional.empty(), null,
                Optional.empty());
        writes.open(10, Params.of(Map.of("x", DoubleNode.valueOf(0.25))));
        writes.checkpoint(new CheckpointInUnit.Serialized(stepRow.stepExecutionId(), "{\"checkpoint\":\"test\"}", null), stepRow);
        if (commit) writes.flushAndCommit();
        else writes.flush();
    }

    /** The trials (number:status:attempt), the checkpoint and the step row's version:commit_count, as committed. */
    String state() {
        return db.jdbi().withHandle(h -> h.createQuery(STATE).bind("id", id).bind("step", row.stepExecutionId()).mapTo(String.class).one());
    }
}
