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
        assertThat(IngestRequests.isTransient(new ConnectionException(
                new SQLTransientConnectionException("orchestrator - Connection is not available, request timed out after 10000ms")))).isTrue();
        assertThat(IngestRequests.isTransient(new IllegalStateException(new SQLException("connection refused", "08001")))).isTrue();
        assertThat(IngestRequests.isTransient(new RuntimeException(new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(IngestRequests.isTransient(new RuntimeException(new SQLException("serialization failure", "40001")))).isTrue();
        assertThat(IngestRequests.isTransient(new RuntimeException(new SQLException("admin shutdown", "57P01")))).isTrue();

        assertThat(IngestRequests.isTransient(new RuntimeException(new SQLException("syntax error", "42601")))).isFalse();
        assertThat(IngestRequests.isTransient(new NullPointerException())).isFalse();
    }

    @Test
    void jsonIsApplicationJsonInUtf8() {
        assertThat(IngestRequests.isJson("application/json")).isTrue();
        assertThat(IngestRequests.isJson("Application/JSON; charset=UTF-8")).isTrue();
        assertThat(IngestRequests.isJson("application/json;charset=\"utf-8\"")).isTrue();
        assertThat(IngestRequests.isJson("application/json; charset=iso-8859-1")).isFalse();
        assertThat(IngestRequests.isJson("application/x-ndjson")).isFalse();
        assertThat(IngestRequests.isJson(null)).isFalse();
    }
}
