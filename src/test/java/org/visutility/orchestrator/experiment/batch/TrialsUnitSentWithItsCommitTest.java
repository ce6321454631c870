package org.visutility.orchestrator.experiment.batch;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.support.TransactionTemplate;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.time.Instant;

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
    @TempDir
    Path home;

    private RunWithAnOpenTrial ground;
    private long id;
    private StepRowInUnit.Row row;
    private BatchInfrastructure batch;
    private RunControl run;

    @BeforeEach
    void aRunOwnsAnExperimentWithAnOpenTrial(TestDatabase db) {
        ground = new RunWithAnOpenTrial(db, home);
        id = ground.id;
        row = ground.row;
        batch = ground.batch;
        run = ground.run;
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

    /** The last statement of a unit, with its commit, in the caller's transaction: trial {@code ended} completes, trial 10 is proposed. */
    private void unit(RunControl owner, StepRowInUnit.Row stepRow, int ended) {
        ground.unit(owner, stepRow, ended, true);
    }

    private String state() {
        return ground.state();
    }
}
