package org.visutility.orchestrator.experiment.batch;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.support.TransactionTemplate;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A unit of the trials step is one statement that writes the ended trial, the proposed one, the
 * checkpoint and the step execution row. When the run still owns the experiment but one of those
 * writes cannot be made, the database fails the statement (orchestrator.trials_unit_holds), so
 * the unit's transaction commits none of them: no trial recorded without its checkpoint.
 */
@ExtendWith(PostgresExtension.class)
class TrialsUnitMissingAWriteCommitsNothingTest {
    @TempDir
    Path home;

    private RunWithAnOpenTrial ground;
    private StepRowInUnit.Row row;

    @BeforeEach
    void aRunOwnsAnExperimentWithAnOpenTrial(TestDatabase db) {
        ground = new RunWithAnOpenTrial(db, home);
        row = ground.row;
    }

    @Test
    void aUnitWithAllItsWritesCommitsThemAll() {
        String before = state();
        unit(row, 4);
        String after = state();
        assertThat(after).isNotEqualTo(before).contains("4:complete:1", "10:running:1", "{\"checkpoint\":\"test\"}")
                .endsWith(" | " + (row.version() + 1) + ":" + row.commitCount());
    }

    @Test
    void aStepExecutionRowOfAnotherVersionCommitsNeitherTheTrialsNorTheCheckpoint() {
        String before = state();
        StepRowInUnit.Row stale = new StepRowInUnit.Row(row.stepExecutionId(), row.jobExecutionId(), row.version() - 1,
                row.startTime(), row.endTime(), row.status(), row.commitCount(), 0, 0, 0, 0, 0, 0, 0, row.exitCode(), row.exitMessage());

        assertThatThrownBy(() -> unit(stale, 4)).isInstanceOf(TrialOutcomeNotWritten.class)
                .hasMessageContaining("the step execution row is not at the version this run read");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void anEndedTrialThatIsNoLongerRunningCommitsNeitherTheProposalNorTheCheckpoint() {
        String before = state();

        assertThatThrownBy(() -> unit(row, 3)).isInstanceOf(TrialOutcomeNotWritten.class)
                .hasMessageContaining("0 of 1 ended trials were still running");
        assertThat(state()).isEqualTo(before);
    }

    /** One unit in its own transaction, as the trials step runs it: trial {@code ended} completes, trial 10 is proposed. */
    private void unit(StepRowInUnit.Row stepRow, int ended) {
        new TransactionTemplate(ground.batch.transactionManager()).executeWithoutResult(tx -> ground.unit(ground.run, stepRow, ended, false));
    }

    private String state() {
        return ground.state();
    }
}
