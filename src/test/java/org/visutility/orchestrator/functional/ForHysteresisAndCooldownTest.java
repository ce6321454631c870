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

/** The timing rules of a policy on stored history: for:, the resolve line, the cooldown, and versions. */
@ExtendWith(PolicyBedExtension.class)
class ForHysteresisAndCooldownTest {
    private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);


    private void apply(PolicyBed bed, String when, String extra) {
        bed.apply("""
                policies:
                  - name: p
                    model: m
                    when: WHEN
                EXTRA    experiment: EXPERIMENT
                """.replace("WHEN", when).replace("EXTRA", extra).replace("EXPERIMENT", PolicyFiles.inlineExperiment("m")));
    }

    /** Evaluates every minute over the history's span, like the job would. */
    private void evaluateEveryMinute(PolicyBed bed, int minutes) {
        for (int i = 0; i < minutes; i++) bed.evaluateAt(T0.plus(MINUTE.multipliedBy(i)));
    }

    @Test
    void aBreachFiresOnlyOnceItHasHeldForFor(PolicyBed bed) {
        bed.history().model("m").from(T0).every(MINUTE).values(0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8);
        apply(bed, "{metric: accuracy, snapshots: 1, below: 0.85}", "    for: 3m\n");

        evaluateEveryMinute(bed, 7);

        List<PolicyBed.Evaluation> e = bed.evaluations("p");
        assertThat(e).extracting(PolicyBed.Evaluation::to).containsExactly("pending", "firing");
        assertThat(e.get(0).at()).isEqualTo(T0.plus(MINUTE));
        assertThat(e.get(1).at()).isEqualTo(T0.plus(MINUTE.multipliedBy(4)));
        assertThat(bed.experiments("p")).singleElement().satisfies(x -> assertThat(x.queuedAt()).isEqualTo(T0.plus(MINUTE.multipliedBy(4))));
    }

    @Test
    void aValueHoveringAtTheLineFiresOnceAndResolvesOnlyPastTheResolveLine(PolicyBed bed) {
        bed.history().model("m").from(T0).every(MINUTE)
                .values(0.90, 0.84, 0.851, 0.849, 0.852, 0.848, 0.86, 0.849, 0.869, 0.871, 0.872);
        apply(bed, "{metric: accuracy, snapshots: 1, below: 0.85, resolve: 0.87}", "");

        evaluateEveryMinute(bed, 11);

        assertThat(bed.transitions("p")).containsExactly("ok->firing", "firing->resolved");
        PolicyBed.Evaluation resolved = bed.evaluations("p").get(1);
        assertThat(resolved.at()).isEqualTo(T0.plus(MINUTE.multipliedBy(9)));
        assertThat(resolved.observed()).isEqualTo(0.871);
        assertThat(bed.experiments("p")).hasSize(1);
    }

    @Test
    void noSecondExperimentWhileOneIsOpenOrDuringTheCooldownAfterItEnds(PolicyBed bed) {
        MetricHistory h = bed.history().model("m").from(T0).every(Duration.ofHours(1));
        h.values(0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8);
        apply(bed, "{metric: accuracy, snapshots: 1, below: 0.85}", "    cooldown: 6h\n");

        bed.evaluateAt(T0);
        List<PolicyBed.Experiment> first = bed.experiments("p");
        assertThat(first).hasSize(1);
        bed.evaluateAt(T0.plus(Duration.ofHours(1)));
        assertThat(bed.experiments("p")).as("still open").hasSize(1);

        Instant finished = T0.plus(Duration.ofHours(2));
        bed.finishExperiment(first.get(0).id(), "succeeded", finished);
        bed.evaluateAt(finished.plus(Duration.ofHours(5)).plus(Duration.ofMinutes(59)));
        assertThat(bed.experiments("p")).as("in the cooldown").hasSize(1);

        bed.evaluateAt(finished.plus(Duration.ofHours(6)));
        List<PolicyBed.Experiment> after = bed.experiments("p");
        assertThat(after).hasSize(2);
        PolicyBed.Evaluation again = bed.evaluations("p").get(1);
        assertThat(again.from()).isEqualTo("firing");
        assertThat(again.to()).isEqualTo("firing");
        assertThat(again.experimentId()).isEqualTo(after.get(1).id());
        assertThat(after.get(1).evaluationId()).isEqualTo(again.id());
    }

    @Test
    void aFiringPolicyInItsCooldownRecordsWhyItDidNotEnqueue(PolicyBed bed) {
        bed.history().model("m").from(T0).every(Duration.ofHours(1)).values(0.8, 0.9, 0.8);
        apply(bed, "{metric: accuracy, snapshots: 1, below: 0.85}", "    cooldown: 6h\n");

        bed.evaluateAt(T0);
        bed.finishExperiment(bed.experiments("p").get(0).id(), "failed", T0.plus(Duration.ofMinutes(30)));
        bed.evaluateAt(T0.plus(Duration.ofHours(1)));
        bed.evaluateAt(T0.plus(Duration.ofHours(2)));

        assertThat(bed.transitions("p")).containsExactly("ok->firing", "firing->resolved", "resolved->firing");
        PolicyBed.Evaluation refire = bed.evaluations("p").get(2);
        assertThat(refire.experimentId()).isNull();
        assertThat(refire.detail()).contains("cooldown 6h after the last experiment");
        assertThat(bed.experiments("p")).hasSize(1);
    }

    @Test
    void applyingAChangedPolicyMakesANewVersionAndLaterEvaluationsPointAtIt(PolicyBed bed) {
        bed.history().model("m").from(T0).every(MINUTE).values(0.84, 0.84, 0.80, 0.80);
        apply(bed, "{metric: accuracy, snapshots: 1, below: 0.85}", "");
        bed.evaluateAt(T0);
        bed.evaluateAt(T0.plus(MINUTE.multipliedBy(1)));    // firing, still firing
        apply(bed, "{metric: accuracy, snapshots: 1, below: 0.83}", "");
        bed.evaluateAt(T0.plus(MINUTE.multipliedBy(2)));    // 0.80 < 0.83: still firing under v2
        apply(bed, "{metric: accuracy, snapshots: 1, below: 0.79}", "");
        bed.evaluateAt(T0.plus(MINUTE.multipliedBy(3)));    // 0.80 >= 0.79: resolved under v3

        List<PolicyBed.Evaluation> e = bed.evaluations("p");
        assertThat(e).extracting(PolicyBed.Evaluation::to).containsExactly("firing", "resolved");
        assertThat(e).extracting(PolicyBed.Evaluation::version).containsExactly(1, 3);
        assertThat(e.get(1).threshold()).isEqualTo(0.79);
        int versions = bed.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.retrain_policy_version")
                .mapTo(Integer.class).one());
        assertThat(versions).isEqualTo(3);
    }
}
