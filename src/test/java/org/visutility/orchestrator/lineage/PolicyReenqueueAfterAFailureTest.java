package org.visutility.orchestrator.lineage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A policy that enqueues again for a model whose previous experiment from it failed records that the
 * new one supersedes the failed one; after a success it supersedes nothing.
 */
@ExtendWith(PolicyBedExtension.class)
class PolicyReenqueueAfterAFailureTest {
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void theExperimentEnqueuedAfterAFailedOneSupersedesItAndTheOneAfterASuccessDoesNot(PolicyBed bed) {
        // bad, good, bad, good, bad: fires, resolves, fires, resolves, fires
        bed.history().model("r").from(T0).every(HOUR).values(0.8, 0.95, 0.8, 0.95, 0.8);
        bed.apply("""
                policies:
                  - name: refit
                    model: r
                    when: {metric: accuracy, aggregate: last, window: 1h, below: 0.85}
                    cooldown: 1m
                    experiment: EXPERIMENT
                """.replace("EXPERIMENT", PolicyFiles.inlineExperiment("r")));

        bed.evaluateAt(T0);
        long first = bed.experiments("refit").get(0).id();
        bed.finishExperiment(first, "failed", T0.plus(Duration.ofMinutes(10)));
        bed.evaluateAt(T0.plus(HOUR));
        bed.evaluateAt(T0.plus(HOUR.multipliedBy(2)));
        long second = bed.experiments("refit").get(1).id();
        bed.finishExperiment(second, "succeeded", T0.plus(HOUR.multipliedBy(2)).plus(Duration.ofMinutes(10)));
        bed.evaluateAt(T0.plus(HOUR.multipliedBy(3)));
        bed.evaluateAt(T0.plus(HOUR.multipliedBy(4)));

        List<PolicyBed.Experiment> experiments = bed.experiments("refit");
        assertThat(experiments).hasSize(3);
        long third = experiments.get(2).id();
        assertThat(supersedes(bed, second)).as("enqueued after the failed one").isEqualTo(first);
        assertThat(supersedes(bed, third)).as("enqueued after a success").isNull();
        List<String> supersededBy = bed.jdbi().withHandle(h -> h.createQuery("""
                SELECT actor FROM lineage.experiment_events WHERE experiment_id = :id AND event = 'superseded'""")
                .bind("id", first).mapTo(String.class).list());
        assertThat(supersededBy).containsExactly("policy:refit");
    }

    private static Long supersedes(PolicyBed bed, long id) {
        return bed.jdbi().withHandle(h -> h.createQuery(
                "SELECT supersedes_experiment_id FROM lineage.experiment_lineage WHERE experiment_id = :id")
                .bind("id", id).mapTo(Long.class).one());
    }
}
