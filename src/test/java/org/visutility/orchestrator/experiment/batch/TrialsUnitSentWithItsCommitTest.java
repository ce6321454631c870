package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.node.DoubleNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.support.TransactionTemplate;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.FaultInjectingTrainer;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The last statement of a unit of the trials step carries the unit's commit in the same round trip
 * (TrialsUnit.sql then COMMIT): the unit is durable when the statement returns, before Spring
 * Batch's own commit (which then has nothing to send). A statement that fails, or whose fence fails
 * (a stale owner), must leave nothing of the unit's transaction committed, not even its earlier
 * statements.
 */
@ExtendWith(PostgresExtension.class)
class TrialsUnitSentWithItsCommitTest {
    private static final String STATE = """
            SELECT (SELECT string_agg(number || ':' || status || ':' || attempt, ',' ORDER BY number)
                      FROM orchestrator.trial WHERE experiment_id = :id)
                   || ' | ' || (SELECT c.short_context FROM batch.batch_step_execution_context c WHERE c.step_execution_id = :step)
                   || ' | ' || (SELECT s.version || ':' || s.commit_count FROM batch.batch_step_execution s WHERE s.step_execution_id = :step)
            """;

    @TempDir
    Path home;

    private TestDatabase db;
    private long id;
    private StepRowInUnit.Row row;
    private BatchInfrastructure batch;
    private RunControl run;

    /** A run that crashed in trial 4 (trials 0-3 complete, 4 left running), its experiment back to running as a new owner would hold it. */
    @BeforeEach
    void aRunOwnsAnExperimentWithAnOpenTrial(TestDatabase db) {
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

    @Test
    void aUnitSentWithItsCommitIsDurableBeforeSpringBatchCommits() {
        String before = state();
        String[] seenFromAnotherSession = new String[1];

        new TransactionTemplate(batch.transactionManager()).executeWithoutResult(tx -> {
            unit(run, row, 4);
            seenFromAnotherSession[0] = state(); // another connection: only committed rows show
        });

        assertThat(seenFromAnotherSession[0]).isNotEqualTo(before).contains("4:complete:1", "10:running:1", "{\"checkpoint\":\"test\"}")
                .endsWith(" | " + (row.version() + 1) + ":" + row.commitCount());
        assertThat(state()).isEqualTo(seenFromAnotherSession[0]);
    }

    @Test
    void aStaleOwnersUnitCommitsNothingOfItsTransaction() {
        String before = state();
        RunControl stale = new RunControl(id, Experiments.OWNER, new ExperimentRows.Claim(run.version() - 1, 1, Instant.now()));

        assertThatThrownBy(() -> new TransactionTemplate(batch.transactionManager()).executeWithoutResult(tx -> {
            earlierWriteOfTheUnit();
            unit(stale, row, 4);
        })).isInstanceOf(LostOwnershipException.class);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aUnitMissingAWriteCommitsNothingOfItsTransaction() {
        String before = state();

        assertThatThrownBy(() -> new TransactionTemplate(batch.transactionManager()).executeWithoutResult(tx -> {
            earlierWriteOfTheUnit();
            unit(run, row, 5); // never proposed
        })).isInstanceOf(TrialOutcomeNotWritten.class).hasMessageContaining("0 of 1 ended trials were still running");
        assertThat(state()).isEqualTo(before);
    }

    /** A statement of the unit before its last one (as a retry round re-opening a trial): trial 3 runs again. */
    private void earlierWriteOfTheUnit() {
        batch.transactionalJdbi().useHandle(h -> h.createUpdate(
                        "UPDATE orchestrator.trial SET status = 'running', attempt = attempt + 1 WHERE experiment_id = :id AND number = 3")
                .bind("id", id).execute());
    }

    /** The last statement of a unit, in the caller's transaction: trial {@code ended} completes, trial 10 is proposed. */
    private void unit(RunControl owner, StepRowInUnit.Row stepRow, int ended) {
        UnitWrites writes = new UnitWrites(batch.transactionalJdbi(), owner);
        writes.finish(ended, TrialStatus.COMPLETE, OptionalDouble.of(0.5), Map.of("loss", 0.5), List.of(), Optional.empty(), null,
                Optional.empty());
        writes.open(10, Params.of(Map.of("x", DoubleNode.valueOf(0.25))));
        writes.checkpoint(new CheckpointInUnit.Serialized(stepRow.stepExecutionId(), "{\"checkpoint\":\"test\"}", null), stepRow);
        writes.flushAndCommit();
    }

    private String state() {
        return db.jdbi().withHandle(h -> h.createQuery(STATE).bind("id", id).bind("step", row.stepExecutionId()).mapTo(String.class).one());
    }
}
