package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.store.SqlFiles;
import org.jdbi.v3.core.Handle;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure the monthly partitions a batch needs exist before it is written. Each month is
 * ensured in its own short transaction (creating a partition locks the parent table, which must
 * not be held through a long ingest), and remembered once ensured. A remembered month whose
 * partition was dropped since (old history is dropped by partition) is forgotten and ensured again.
 */
public final class SnapshotPartitions {
    private final Set<YearMonth> ensured = ConcurrentHashMap.newKeySet();

    /** Ensures the months on a handle outside any transaction. */
    public void ensure(Handle handle, Set<YearMonth> months) {
        for (YearMonth month : months) {
            if (ensured.contains(month)) continue;
            handle.createQuery(SqlFiles.load(SnapshotPartitions.class, "EnsureSnapshotPartition"))
                    .bind("month", month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                    .mapTo(Long.class).one();
            ensured.add(month);
        }
    }

    void forget() {
        ensured.clear();
    }
}
