package org.visutility.orchestrator.tuning.gate;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.tuning.Direction;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GateRuleTest {
    private static final GateRule ACCURACY = new GateRule("accuracy", Direction.MAXIMIZE, 0.01, List.of("recall"));

    private static Evaluation scored(double accuracy, double recall) {
        return Evaluation.scored(Map.of("accuracy", accuracy, "recall", recall));
    }

    @Test
    void aCandidateThatBeatsTheActiveVersionByMinGainAndLosesNothingIsApproved() {
        GateVerdict v = ACCURACY.judge(scored(0.91, 0.80), Optional.of(scored(0.85, 0.80)));
        assertThat(v.approved()).isTrue();
        assertThat(v.reason()).isEqualTo("accuracy 0.91 beats 0.85 by 0.06 >= min_gain 0.01");
        assertThat(v.candidateScore()).hasValue(0.91);
        assertThat(v.activeScore()).hasValue(0.85);
        assertThat(v.noWorse()).containsEntry("recall", new GateVerdict.NoWorse(0.80, 0.80, true));
    }

    @Test
    void aGainBelowMinGainIsRejected() {
        GateVerdict v = ACCURACY.judge(scored(0.855, 0.9), Optional.of(scored(0.85, 0.8)));
        assertThat(v.approved()).isFalse();
        assertThat(v.reason()).isEqualTo("accuracy 0.855 does not beat 0.85 by 0.005 < min_gain 0.01");
    }

    @Test
    void aWorseCandidateIsRejected() {
        GateVerdict v = ACCURACY.judge(scored(0.80, 0.9), Optional.of(scored(0.85, 0.8)));
        assertThat(v.approved()).isFalse();
        assertThat(v.reason()).startsWith("accuracy 0.8 does not beat 0.85");
    }

    @Test
    void aNoWorseMetricThatDropsRejectsEvenABetterCandidate() {
        GateVerdict v = ACCURACY.judge(scored(0.95, 0.70), Optional.of(scored(0.85, 0.80)));
        assertThat(v.approved()).isFalse();
        assertThat(v.reason()).isEqualTo("recall is worse: 0.7 against 0.8 (no_worse); accuracy 0.95 beats 0.85 by 0.1 >= min_gain 0.01");
        assertThat(v.noWorse()).containsEntry("recall", new GateVerdict.NoWorse(0.70, 0.80, false));
    }

    @Test
    void minimizeTurnsTheComparisonAround() {
        GateRule loss = new GateRule("log_loss", Direction.MINIMIZE, 0.0, List.of());
        assertThat(loss.judge(Evaluation.scored(Map.of("log_loss", 0.2)), Optional.of(Evaluation.scored(Map.of("log_loss", 0.3)))).approved()).isTrue();
        assertThat(loss.judge(Evaluation.scored(Map.of("log_loss", 0.4)), Optional.of(Evaluation.scored(Map.of("log_loss", 0.3)))).approved()).isFalse();
    }

    @Test
    void withNoActiveVersionAScoredCandidateIsApproved() {
        GateVerdict v = ACCURACY.judge(scored(0.7, 0.5), Optional.empty());
        assertThat(v.approved()).isTrue();
        assertThat(v.reason()).isEqualTo("no active version to beat (accuracy 0.7)");
        assertThat(v.activeScore()).isEmpty();
    }

    @Test
    void whatKeepsTheRuleFromRunningRejectsNeverApproves() {
        assertThat(ACCURACY.judge(Evaluation.failed("evaluator failed: exit status 1"), Optional.empty()))
                .satisfies(v -> assertThat(v.approved()).isFalse())
                .satisfies(v -> assertThat(v.reason()).isEqualTo("cannot run the gate: evaluator failed: exit status 1"));
        assertThat(ACCURACY.judge(Evaluation.scored(Map.of("recall", 0.9)), Optional.empty()).reason())
                .isEqualTo("cannot run the gate: the candidate's evaluation has no metric accuracy");
        assertThat(ACCURACY.judge(scored(0.99, 0.99), Optional.of(Evaluation.failed("active version v1 has no artifact_uri"))))
                .satisfies(v -> assertThat(v.approved()).isFalse())
                .satisfies(v -> assertThat(v.reason()).isEqualTo("cannot run the gate: active version v1 has no artifact_uri"));
        GateVerdict noRecall = ACCURACY.judge(scored(0.99, 0.99), Optional.of(Evaluation.scored(Map.of("accuracy", 0.5))));
        assertThat(noRecall.approved()).isFalse();
        assertThat(noRecall.reason()).startsWith("cannot run the gate: the active version's evaluation has no metric recall (no_worse)");
    }

    @Test
    void aNegativeMinGainIsRefused() {
        assertThatThrownBy(() -> new GateRule("accuracy", Direction.MAXIMIZE, -0.1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
