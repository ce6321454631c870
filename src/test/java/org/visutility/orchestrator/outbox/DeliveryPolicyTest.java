package org.visutility.orchestrator.outbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The backoff between attempts and the lease of a claim. */
class DeliveryPolicyTest {
    private final DeliveryPolicy policy = DeliveryPolicy.forTimeout(Duration.ofSeconds(5));

    @Test
    void theBackoffStartsAtOneSecondAndDoublesUpToTenMinutes() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(10)).isEqualTo(Duration.ofSeconds(512));
        assertThat(policy.backoff(11)).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.backoff(500)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aClaimsLeaseOutlastsSendingItsWholeBatch() {
        assertThat(policy.lease()).isGreaterThan(Duration.ofSeconds(5).multipliedBy(policy.batch()));
    }
}
