package org.visutility.orchestrator.concurrent;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node frozen inside a transaction (a long GC pause, SIGSTOP, a suspended VM) held Quartz's
 * trigger lock row, and every other node of the cluster waited on it for as long as the freeze
 * lasted. The database now ends a node's session that sits idle in a transaction longer than the
 * node's rescue_after (at least 30 s), which releases its locks.
 */
@ExtendWith(PostgresExtension.class)
class AFrozenNodeCannotHoldTheClusterLocksTest {

    @Test
    void aSessionIdleInATransactionLosesItsLocksAfterTheTimeout(TestDatabase db) throws Exception {
        // Quartz's lock rows, as a cluster that has run has them
        db.jdbi().useHandle(h -> h.execute("INSERT INTO quartz.qrtz_locks (sched_name, lock_name) VALUES ('frozen-test', 'TRIGGER_ACCESS')"));
        try (HikariDataSource frozen = DatabaseConnector.pool(db.url(), db.user(), db.password(), 1, Duration.ofSeconds(1));
             HikariDataSource other = DatabaseConnector.pool(db.url(), db.user(), db.password(), 1, Duration.ofSeconds(1))) {
            Connection f = frozen.getConnection();
            f.setAutoCommit(false);
            try (Statement st = f.createStatement()) {
                assertThat(st.executeQuery("SELECT lock_name FROM quartz.qrtz_locks WHERE sched_name = 'frozen-test' FOR UPDATE").next()).isTrue();
            }
            // the frozen node sends nothing more; the other node's Quartz takes the same lock
            long started = System.nanoTime();
            try (Connection o = other.getConnection(); Statement st = o.createStatement()) {
                o.setAutoCommit(false);
                st.execute("SET LOCAL lock_timeout = '20s'");
                assertThat(st.executeQuery("SELECT lock_name FROM quartz.qrtz_locks WHERE sched_name = 'frozen-test' FOR UPDATE").next()).isTrue();
                o.rollback();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            // the frozen node, once it wakes, finds its session ended rather than writing under a lost lock
            assertThatThrownBy(() -> {
                try (Statement st = f.createStatement()) {
                    st.execute("SELECT 1");
                }
            }).hasMessageContaining("terminat");
            f.close();
        }
    }

    @Test
    void theTimeoutIsTheNodesRescueAfterAndNeverBelowThirtySeconds(TestDatabase db) {
        assertThat(DatabaseConnector.idleTransactionTimeout(db.config(Map.of("ORCHESTRATOR_RESCUE_AFTER", "1s"))))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(DatabaseConnector.idleTransactionTimeout(db.config(Map.of("ORCHESTRATOR_RESCUE_AFTER", "5m"))))
                .isEqualTo(Duration.ofMinutes(5));
    }
}
