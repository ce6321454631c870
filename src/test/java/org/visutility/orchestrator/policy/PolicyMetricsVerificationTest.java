package org.visutility.orchestrator.policy;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.policy.notify.VerificationDecided;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The verification metrics in /metrics: the open gauge follows the last pass, the counter counts outcomes. */
class PolicyMetricsVerificationTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void listen() {
        Metrics.addRegistry(registry);
    }

    @AfterEach
    void stop() {
        Metrics.removeRegistry(registry);
        registry.close();
    }

    private static PolicyEvaluator.PassResult pass(long open) {
        return new PolicyEvaluator.PassResult(Instant.EPOCH, 0, 0, List.of(), List.of(), Map.of(), List.of(), open, 0);
    }

    private static VerificationDecided decided(String outcome) {
        return new VerificationDecided(1, 2, "p", 1, 3, "m", "v2", "v1", outcome, "accuracy", 0.8, 0.8, 0.85, 1000L,
                Instant.EPOCH, Instant.EPOCH, "reason", Json.MAPPER.createObjectNode());
    }

    @Test
    void theGaugeShowsTheOpenVerificationsOfTheLastPassAndTheCounterEachOutcome() {
        PolicyMetrics metrics = new PolicyMetrics();
        metrics.passEnded(pass(3), Duration.ofMillis(5));
        assertThat(registry.get(PolicyMetrics.VERIFICATIONS_OPEN).gauge().value()).isEqualTo(3.0);
        metrics.passEnded(pass(-1), Duration.ofMillis(5));
        assertThat(registry.get(PolicyMetrics.VERIFICATIONS_OPEN).gauge().value()).as("a pass whose verification failed keeps the last count")
                .isEqualTo(3.0);
        metrics.passEnded(pass(1), Duration.ofMillis(5));
        assertThat(registry.get(PolicyMetrics.VERIFICATIONS_OPEN).gauge().value()).isEqualTo(1.0);

        double before = registry.find(PolicyMetrics.VERIFICATIONS).tag("outcome", "not_recovered").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        metrics.verificationDecided(decided("not_recovered"));
        assertThat(registry.get(PolicyMetrics.VERIFICATIONS).tag("outcome", "not_recovered").counter().count()).isEqualTo(before + 1);
    }
}
