package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Case 4 of issue 13: the documented cleanup dropped every old partition in one transaction, one
 * lock per partition and index, and failed with "out of shared memory" on 1,368 partitions. Old
 * partitions are now dropped a bounded number per transaction.
 */
@ExtendWith(PostgresExtension.class)
class SnapshotPartitionCleanupTest {
    /** 40 months, 80 partitions: more than the 64 the one-argument form drops per call. */
    private static final YearMonth FIRST = YearMonth.of(2001, 1);
    private static final int MONTHS = 40;
    private static final String CUTOFF = "timestamptz '2004-01-01 00:00+00'"; // keeps 2004-01 .. 2004-04

    private TestDatabase db;

    @BeforeEach
    void oldHistory(TestDatabase database) {
        db = database;
        db.jdbi().useHandle(h -> {
            for (int i = 0; i < MONTHS; i++) {
                h.createQuery("SELECT count(*) FROM orchestrator.ensure_snapshot_partition(:at)")
                        .bind("at", FIRST.plusMonths(i).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                        .mapTo(Long.class).one();
            }
        });
    }

    private List<String> partitions() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent IN ('orchestrator.metric_snapshot'::regclass, 'orchestrator.metric_value'::regclass)
                   AND c.relname ~ '_200[0-9]_'
                 ORDER BY right(c.relname, 7), c.relname""").mapTo(String.class).list());
    }

    /** Relation locks this session holds (inside a transaction they last until commit). */
    private static long relationLocksHeld(Handle h) {
        return h.createQuery("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation'")
                .mapTo(Long.class).one();
    }

    @Test
    void oneCallDropsAtMostTheGivenNumberOldestFirstAndHoldsLocksForThoseOnly() {
        long[] locks = new long[2];
        Integer dropped = db.jdbi().inTransaction(h -> {
            locks[0] = relationLocksHeld(h);
            Integer n = h.createQuery("SELECT orchestrator.drop_snapshot_partitions_before(" + CUTOFF + ", 4)").mapTo(Integer.class).one();
            locks[1] = relationLocksHeld(h);
            return n;
        });

        assertThat(dropped).isEqualTo(4);
        assertThat(partitions()).hasSize(2 * MONTHS - 4)
                .startsWith("metric_snapshot_2001_03", "metric_value_2001_03")
                .doesNotContain("metric_snapshot_2001_01", "metric_value_2001_01", "metric_snapshot_2001_02", "metric_value_2001_02");
        // each dropped partition costs the table, its indexes and the parent: a few locks, not 80 partitions' worth
        assertThat(locks[1] - locks[0]).as("relation locks held by the transaction (4 partitions, each with its indexes: V305 added one)").isLessThan(48);
    }

    @Test
    void theOneArgumentFormDropsAtMost64PerCallSoRepeatedCallsFinishTheJob() {
        Integer first = db.jdbi().withHandle(h -> h.createQuery("SELECT orchestrator.drop_snapshot_partitions_before(" + CUTOFF + ")")
                .mapTo(Integer.class).one());
        Integer second = db.jdbi().withHandle(h -> h.createQuery("SELECT orchestrator.drop_snapshot_partitions_before(" + CUTOFF + ")")
                .mapTo(Integer.class).one());
        Integer third = db.jdbi().withHandle(h -> h.createQuery("SELECT orchestrator.drop_snapshot_partitions_before(" + CUTOFF + ")")
                .mapTo(Integer.class).one());

        assertThat(List.of(first, second, third)).containsExactly(64, 2 * 36 - 64, 0);
        assertThat(partitions()).containsExactly("metric_snapshot_2004_01", "metric_value_2004_01", "metric_snapshot_2004_02",
                "metric_value_2004_02", "metric_snapshot_2004_03", "metric_value_2004_03", "metric_snapshot_2004_04", "metric_value_2004_04");
    }

    @Test
    void theProcedureDropsEveryOldPartitionAFewPerTransaction() {
        Integer dropped = db.jdbi().withHandle(h -> h.createQuery(
                "CALL orchestrator.drop_snapshot_partitions_in_steps(" + CUTOFF + ", 10, 0)").mapTo(Integer.class).one());

        assertThat(dropped).isEqualTo(2 * 36);
        assertThat(partitions()).hasSize(8).allMatch(p -> p.endsWith("_2004_01") || p.endsWith("_2004_02")
                || p.endsWith("_2004_03") || p.endsWith("_2004_04"));
    }

    @Test
    void theProcedureCommitsBetweenStepsSoItRefusesToRunInsideATransaction() {
        assertThatThrownBy(() -> db.jdbi().useTransaction(h -> h.createQuery(
                "CALL orchestrator.drop_snapshot_partitions_in_steps(" + CUTOFF + ", 10, 0)").mapTo(Integer.class).one()))
                .hasMessageContaining("invalid transaction termination");
        assertThat(partitions()).hasSize(2 * MONTHS);
    }

    @Test
    void aStepOfLessThanOnePartitionIsRefused() {
        assertThatThrownBy(() -> db.jdbi().useHandle(h -> h.createQuery(
                "SELECT orchestrator.drop_snapshot_partitions_before(" + CUTOFF + ", 0)").mapTo(Integer.class).one()))
                .hasMessageContaining("max_partitions must be at least 1, got 0");
    }
}
