package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which faults answer 503 (retry) rather than 500, and which content types are JSON. */
class SnapshotIngestRouteTest {

    @Test
    void faultsWorthRetryingAreTheDatabaseBeingUnreachableBusyOrInADeadlock() {
        assertThat(SnapshotIngestRoute.isTransient(new ConnectionException(
                new SQLTransientConnectionException("orchestrator - Connection is not available, request timed out after 10000ms")))).isTrue();
        assertThat(SnapshotIngestRoute.isTransient(new IllegalStateException(new SQLException("connection refused", "08001")))).isTrue();
        assertThat(SnapshotIngestRoute.isTransient(new RuntimeException(new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(SnapshotIngestRoute.isTransient(new RuntimeException(new SQLException("serialization failure", "40001")))).isTrue();
        assertThat(SnapshotIngestRoute.isTransient(new RuntimeException(new SQLException("admin shutdown", "57P01")))).isTrue();

        assertThat(SnapshotIngestRoute.isTransient(new RuntimeException(new SQLException("syntax error", "42601")))).isFalse();
        assertThat(SnapshotIngestRoute.isTransient(new NullPointerException())).isFalse();
    }

    @Test
    void jsonIsApplicationJsonInUtf8() {
        assertThat(SnapshotIngestRoute.isJson("application/json")).isTrue();
        assertThat(SnapshotIngestRoute.isJson("Application/JSON; charset=UTF-8")).isTrue();
        assertThat(SnapshotIngestRoute.isJson("application/json;charset=\"utf-8\"")).isTrue();
        assertThat(SnapshotIngestRoute.isJson("application/json; charset=iso-8859-1")).isFalse();
        assertThat(SnapshotIngestRoute.isJson("application/x-ndjson")).isFalse();
        assertThat(SnapshotIngestRoute.isJson(null)).isFalse();
    }
}
