package org.visutility.orchestrator.functional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With settled_only, a condition counts only snapshots whose window is final at the evaluation
 * time: provisional ones add no samples towards min_samples and are not evidence.
 */
@ExtendWith(PolicyBedExtension.class)
class SettledOnlyCountsFinalWindowsTest {
    private static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(10);

    private static String policies() {
        String exp = PolicyFiles.inlineExperiment("churn");
        return """
                policies:
                  - name: any-window
                    model: churn
                    when: {metric: accuracy, window: 30m, below: 0.85, min_samples: 1500}
                    experiment: EXP
                  - name: settled-window
                    model: churn
                    when: {metric: accuracy, window: 30m, below: 0.85, min_samples: 1500, settled_only: true}
                    experiment: EXP
                  - name: settled-last-three
                    model: churn
                    when: {metric: accuracy, snapshots: 3, below: 0.85, min_samples: 1500, settled_only: true}
                    experiment: EXP
                """.replace("EXP", exp);
    }

    @Test
    void onlySnapshotsSettledAtTheEvaluationTimeCountTowardsMinSamplesAndAsEvidence(PolicyBed bed) {
        MetricHistory history = bed.history().model("churn").from(T0).every(STEP).samples(500);
        List<Long> ids = history.values(0.80, 0.80, 0.80, 0.80, 0.80, 0.80);
        Instant at = history.at(5);
        // the last two windows are still provisional at the evaluation: they settle 25 minutes after they close
        history.settleAt(List.of(ids.get(4)), history.at(4).plus(Duration.ofMinutes(25)));
        history.settleAt(List.of(ids.get(5)), history.at(5).plus(Duration.ofMinutes(25)));
        bed.apply(policies());

        bed.evaluateAt(at);

        assertThat(bed.state("any-window")).isEqualTo("firing");
        assertThat(bed.evaluations("any-window").get(0).evidence()).containsExactly(ids.get(5), ids.get(4), ids.get(3));
        assertThat(bed.state("settled-window")).as("one settled snapshot in 30m: 500 samples < 1500").isEqualTo("ok");
        assertThat(bed.evaluations("settled-window")).isEmpty();
        assertThat(bed.state("settled-last-three")).isEqualTo("firing");
        assertThat(bed.evaluations("settled-last-three").get(0).evidence()).as("the last three settled, not the provisional two")
                .containsExactly(ids.get(3), ids.get(2), ids.get(1));

        // five minutes on, neither provisional window has settled: still one settled snapshot in the window
        bed.evaluateAt(at.plus(Duration.ofMinutes(5)));
        assertThat(bed.state("settled-window")).isEqualTo("ok");
    }

    @Test
    void aProvisionalWindowCountsOnceItHasSettled(PolicyBed bed) {
        MetricHistory history = bed.history().model("churn").from(T0).every(STEP).samples(500);
        List<Long> ids = history.values(0.80, 0.80, 0.80);
        history.settleAt(List.of(ids.get(2)), history.at(2).plus(Duration.ofMinutes(5)));
        bed.apply(policies());

        bed.evaluateAt(history.at(2));
        assertThat(bed.state("settled-window")).isEqualTo("ok");

        bed.evaluateAt(history.at(2).plus(Duration.ofMinutes(5)));
        assertThat(bed.state("settled-window")).isEqualTo("firing");
        assertThat(bed.evaluations("settled-window").get(0).evidence()).containsExactly(ids.get(2), ids.get(1), ids.get(0));
    }
}
