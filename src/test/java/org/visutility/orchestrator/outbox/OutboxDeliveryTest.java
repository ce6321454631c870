package org.visutility.orchestrator.outbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared delivery loop, on rows kept in memory: outcomes recorded, backoff per attempt, give-up, passes that end. */
class OutboxDeliveryTest {
    private static final DeliveryPolicy POLICY = new DeliveryPolicy(2, Duration.ofMinutes(1), Duration.ofSeconds(1),
            Duration.ofMinutes(10), Duration.ofDays(1));

    record Row(long id, String destination, int attempt) implements Claimed {
        @Override
        public String describe() {
            return "row " + id;
        }
    }

    /** Rows 1..n, all due; records what the delivery did with each. */
    static final class Rows implements OutboxRows<Row> {
        final List<Row> due = new ArrayList<>();
        final List<Long> delivered = new ArrayList<>();
        final List<Long> released = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        final Set<Long> giveUp = new HashSet<>();

        Rows(int n, int attempt) {
            for (long i = 1; i <= n; i++) due.add(new Row(i, "webhook", attempt));
        }

        @Override
        public List<Row> claim(int batch, Duration lease) {
            List<Row> claimed = new ArrayList<>(due.subList(0, Math.min(batch, due.size())));
            due.removeAll(claimed);
            return claimed;
        }

        @Override
        public void delivered(Row row) {
            delivered.add(row.id());
        }

        @Override
        public void release(Row row) {
            released.add(row.id());
        }

        @Override
        public boolean failed(Row row, String error, Duration backoff, Duration giveUpAfter) {
            failures.add(row.id() + ": " + error + " (next in " + backoff + ")");
            return giveUp.contains(row.id());
        }

        @Override
        public long pending() {
            return due.size();
        }
    }

    private static OutboxMetrics metrics() {
        return new OutboxMetrics("orchestrator.test.outbox", "test", "orchestrator.test.outbox.pending", "test", "destination",
                List.of("webhook"), () -> 0);
    }

    @Test
    void everyRowIsDeliveredClaimAfterClaimUntilNoneIsDue() {
        Rows rows = new Rows(5, 1);
        try (OutboxMetrics metrics = metrics()) {
            Pass pass = new OutboxDelivery<>(rows, r -> { }, POLICY, metrics).deliverDue();
            assertThat(pass).isEqualTo(new Pass(5, 0, 0));
        }
        assertThat(rows.delivered).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aFailureRecordsItsReasonAndTheBackoffOfItsAttemptAndAGivenUpRowCounts() {
        Rows rows = new Rows(2, 4);
        rows.giveUp.add(2L);
        try (OutboxMetrics metrics = metrics()) {
            Pass pass = new OutboxDelivery<>(rows, r -> {
                throw new NotDelivered("HTTP 503");
            }, POLICY, metrics).deliverDue();
            assertThat(pass).isEqualTo(new Pass(0, 2, 1));
        }
        assertThat(rows.failures).containsExactly("1: HTTP 503 (next in PT8S)", "2: HTTP 503 (next in PT8S)");
        assertThat(rows.delivered).isEmpty();
    }

    @Test
    void aPassWhoseClaimAllFailedStopsInsteadOfSpinningOnTheNextClaim() {
        Rows rows = new Rows(4, 1);
        try (OutboxMetrics metrics = metrics()) {
            Pass pass = new OutboxDelivery<>(rows, r -> {
                throw new IllegalStateException("boom", new java.io.IOException("connection refused"));
            }, POLICY, metrics).deliverDue();
            assertThat(pass).isEqualTo(new Pass(0, 2, 0));
        }
        assertThat(rows.failures).containsExactly("1: IOException: connection refused (next in PT1S)",
                "2: IOException: connection refused (next in PT1S)");
        assertThat(rows.due).hasSize(2);
    }

    @Test
    void rowsStillClaimedWhenThePassRunsOutAreReleasedUnsent() {
        Rows rows = new Rows(2, 1);
        Instant deadline = Instant.now().plusMillis(200);
        try (OutboxMetrics metrics = metrics()) {
            Pass pass = new OutboxDelivery<>(rows, r -> {
                // the first send outlasts the pass: the clock passes the deadline while it runs
                while (Instant.now().isBefore(deadline)) Thread.onSpinWait();
            }, POLICY, metrics).deliverUntil(deadline);
            assertThat(pass).isEqualTo(new Pass(1, 0, 0));
        }
        assertThat(rows.delivered).containsExactly(1L);
        assertThat(rows.released).containsExactly(2L);
    }
}
