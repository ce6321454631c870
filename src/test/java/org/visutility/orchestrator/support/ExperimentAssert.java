package org.visutility.orchestrator.support;

import org.assertj.core.api.AbstractAssert;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentStatus;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on an experiment as the engine left it in the database:
 * {@code assertThatExperiment(db, id).hasStatus(SUCCEEDED).recordedEachTrialOnce(12)}.
 */
public final class ExperimentAssert extends AbstractAssert<ExperimentAssert, Long> {
    private final TestDatabase db;

    private ExperimentAssert(TestDatabase db, long id) {
        super(id, ExperimentAssert.class);
        this.db = db;
    }

    public static ExperimentAssert assertThatExperiment(TestDatabase db, long id) {
        return new ExperimentAssert(db, id);
    }

    public ExperimentRow row() {
        return Experiments.row(db, actual);
    }

    public List<TrialRow> trials() {
        return Experiments.trialRows(db, actual);
    }

    public ExperimentAssert hasStatus(ExperimentStatus expected) {
        ExperimentRow row = row();
        if (row.status() != expected) {
            failWithMessage("expected experiment %d to be %s but it is %s (error: %s)", actual, expected, row.status(),
                    row.error().orElse("none"));
        }
        return this;
    }

    /** Trial numbers 0..n-1, each recorded exactly once (the table's key makes a duplicate an error, a gap shows here). */
    public ExperimentAssert recordedEachTrialOnce(int n) {
        assertThat(trials()).as("trial numbers of experiment %d", actual).extracting(TrialRow::number)
                .containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
        return this;
    }

    /** Every trial complete, on its first attempt, with a finite score and a finish time. */
    public ExperimentAssert allTrialsCompleteOnFirstAttempt() {
        assertThat(trials()).as("trials of experiment %d", actual).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo("complete");
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.score()).isPresent();
            assertThat(t.finishedAt()).isPresent();
        });
        return this;
    }

    /** The trials as {@code number:status}, in number order. */
    public ExperimentAssert hasTrials(String... numberAndStatus) {
        assertThat(trials()).as("trials of experiment %d", actual).extracting(TrialRow::numberAndStatus)
                .containsExactly(numberAndStatus);
        return this;
    }
}
