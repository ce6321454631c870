package org.visutility.orchestrator.policy.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pass keeps its targets for the next one and reads them again only when retrain_policy or
 * policy_state was written since by anyone but itself (V391's counter): its own write updates
 * the kept targets to what the database holds; any other writer's makes the next pass read again.
 */
@ExtendWith(PolicyBedExtension.class)
class TargetsReadAgainOnlyWhenChangedTest {
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void aPassKeepsTheStatesItWroteAndTheNextStepsFromThem(PolicyBed bed) throws Exception {
        bed.history().model("kept-a").version("v1").from(T0).every(HOUR).values(0.7, 0.7, 0.7);
        bed.history().model("kept-b").version("v1").from(T0).every(HOUR).values(0.9, 0.9, 0.9);
        bed.apply("policies:\n" + policy("kept-a-floor", "kept-a") + policy("kept-b-floor", "kept-b"));
        Instant first = T0.plus(HOUR.multipliedBy(2));
        bed.evaluateAt(first); // creates the states, and kept-a-floor goes pending: read once
        assertThat(bed.state("kept-a-floor")).isEqualTo("pending");
        long reads = bed.evaluator.targetReads();

        bed.evaluateAt(first.plus(Duration.ofMinutes(31)));

        assertThat(bed.evaluator.targetReads()).as("the second pass kept the targets its own write left").isEqualTo(reads);
        assertThat(bed.state("kept-a-floor")).isEqualTo("firing");
        assertThat(bed.transitions("kept-a-floor")).containsExactly("ok->pending", "pending->firing");
        assertThat(summary(bed.evaluator.keptTargets().list())).isEqualTo(summary(readAgain(bed)));
    }

    @Test
    void aPolicyDisabledByAnotherWriterIsNoLongerEvaluated(PolicyBed bed) throws Exception {
        bed.history().model("kept-a").version("v1").from(T0).every(HOUR).values(0.9, 0.9, 0.9);
        bed.history().model("kept-b").version("v1").from(T0).every(HOUR).values(0.9, 0.9, 0.9);
        bed.apply("policies:\n" + policy("kept-a-floor", "kept-a") + policy("kept-b-floor", "kept-b"));
        assertThat(bed.evaluateAt(T0.plus(HOUR.multipliedBy(2))).evaluated()).isEqualTo(2);
        assertThat(bed.evaluateAt(T0.plus(HOUR.multipliedBy(2)).plusSeconds(60)).evaluated()).isEqualTo(2);
        long reads = bed.evaluator.targetReads();

        bed.jdbi().useHandle(h -> h.execute("UPDATE orchestrator.retrain_policy SET enabled = false WHERE name = 'kept-b-floor'"));

        assertThat(bed.evaluateAt(T0.plus(HOUR.multipliedBy(2)).plusSeconds(120)).evaluated()).isEqualTo(1);
        assertThat(bed.evaluator.targetReads()).isEqualTo(reads + 1);
    }

    @Test
    void aStateWrittenByAnotherEvaluatorIsReadAgain(PolicyBed bed) throws Exception {
        bed.history().model("kept-a").version("v1").from(T0).every(HOUR).values(0.7, 0.7, 0.7);
        bed.apply("policies:\n" + policy("kept-a-floor", "kept-a"));
        Instant first = T0.plus(HOUR.multipliedBy(2));
        bed.evaluateAt(first);
        assertThat(bed.state("kept-a-floor")).isEqualTo("pending");
        PolicyEvaluator other = new PolicyEvaluator(bed.jdbi(), bed.sqlConditions, java.time.Clock.fixed(first.plus(Duration.ofMinutes(31)),
                java.time.ZoneOffset.UTC), PolicyObserver.NONE);
        other.evaluateOnce();
        assertThat(bed.state("kept-a-floor")).isEqualTo("firing");
        long reads = bed.evaluator.targetReads();

        bed.evaluateAt(first.plus(Duration.ofMinutes(32)));

        assertThat(bed.evaluator.targetReads()).isEqualTo(reads + 1);
        assertThat(bed.transitions("kept-a-floor")).containsExactly("ok->pending", "pending->firing");
        assertThat(summary(bed.evaluator.keptTargets().list())).isEqualTo(summary(readAgain(bed)));
    }

    private static List<PolicyTarget> readAgain(PolicyBed bed) {
        return bed.jdbi().withHandle(h -> new TargetLoader().load(h, Instant.now()).list());
    }

    /** What a pass steps from: the target's ids, state, since, revision and last observed value. */
    private static List<String> summary(List<PolicyTarget> targets) {
        return targets.stream().map(t -> t.policyId() + "/" + t.versionId() + "/" + t.modelId() + " " + t.state() + " since " + t.since()
                + " r" + t.revision() + " " + t.lastObserved()).toList();
    }

    private static String policy(String name, String model) {
        return """
                  - name: NAME
                    model: MODEL
                    when: {metric: accuracy, aggregate: mean, window: 3h, below: 0.8, for: 30m}
                    experiment: EXPERIMENT
                """.replace("NAME", name).replace("MODEL", model).replace("EXPERIMENT", PolicyFiles.inlineExperiment(model));
    }
}
