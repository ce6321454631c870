package org.visutility.orchestrator.policy.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pass reads its targets as numbers and keeps specs and names by id between passes: a policy
 * applied after the first pass gets its state row and is evaluated by the same evaluator, and a new
 * version of a policy is judged by its new spec and recorded under its new version.
 */
@ExtendWith(PolicyBedExtension.class)
class TargetsKeptBetweenPassesTest {
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void aPolicyAppliedAfterAPassAndANewVersionOfAnotherAreBothEvaluatedByTheNextPass(PolicyBed bed) throws Exception {
        bed.history().model("kept-a").version("v1").from(T0).every(HOUR).values(0.8, 0.8, 0.8);
        bed.history().model("kept-b").version("v1").from(T0).every(HOUR).values(0.7, 0.7, 0.7);
        String first = policy("kept-a-floor", "kept-a", 0.5);
        bed.apply("policies:\n" + first);
        PolicyEvaluator.PassResult before = bed.evaluateAt(T0.plus(HOUR.multipliedBy(2)));
        assertThat(before.evaluated()).isEqualTo(1);
        assertThat(bed.state("kept-a-floor")).isEqualTo("ok");

        // kept-a-floor's version 2 breaches at 0.85; kept-b-floor is new
        bed.apply("policies:\n" + policy("kept-a-floor", "kept-a", 0.85) + policy("kept-b-floor", "kept-b", 0.75));
        PolicyEvaluator.PassResult after = bed.evaluateAt(T0.plus(HOUR.multipliedBy(2)).plusSeconds(60));

        assertThat(after.evaluated()).isEqualTo(2);
        assertThat(bed.state("kept-a-floor")).isEqualTo("firing");
        assertThat(bed.state("kept-b-floor")).isEqualTo("firing");
        PolicyBed.Evaluation a = bed.evaluations("kept-a-floor").get(0);
        assertThat(a.version()).isEqualTo(2);
        assertThat(a.model()).isEqualTo("kept-a");
        assertThat(a.threshold()).isEqualTo(0.85);
        assertThat(after.changes()).extracting(c -> c.policy() + "/" + c.model())
                .containsExactlyInAnyOrder("kept-a-floor/kept-a", "kept-b-floor/kept-b");
    }

    private static String policy(String name, String model, double below) {
        return """
                  - name: NAME
                    model: MODEL
                    when: {metric: accuracy, aggregate: mean, window: 3h, below: BELOW}
                    experiment: EXPERIMENT
                """.replace("NAME", name).replace("MODEL", model).replace("BELOW", Double.toString(below))
                .replace("EXPERIMENT", PolicyFiles.inlineExperiment(model));
    }
}
