package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.visutility.orchestrator.store.SqlFiles;

/** orchestrator.collector_rejects: the rows a SQL collector run left out or that failed it, written in the run's transaction. */
final class CollectorRejects {
    /** How many rows one collector keeps; the oldest are removed past it. */
    static final int MAX_KEPT_PER_COLLECTOR = 10_000;
    private static final String INSERT = SqlFiles.load(CollectorRejects.class, "InsertCollectorReject");
    private static final String PRUNE = SqlFiles.load(CollectorRejects.class, "PruneCollectorRejects");

    /** How the run treated the rows: the values of the action column. */
    enum Action {
        SKIPPED("skipped"), RUN_REJECTED("run_rejected");

        final String column;

        Action(String column) {
            this.column = column;
        }
    }

    private CollectorRejects() {
    }

    static void record(Handle tx, String collector, Action action, RejectedRows rows, Long batchId) {
        if (rows.recorded().isEmpty()) return;
        PreparedBatch batch = tx.prepareBatch(INSERT);
        for (RejectedRows.Row r : rows.recorded()) {
            batch.bind("collector", collector).bind("action", action.column).bind("rowNumber", r.rowNumber())
                    .bind("rowData", r.json()).bind("truncated", r.truncated()).bind("field", r.field()).bind("rule", r.rule())
                    .bind("total", rows.total()).bindByType("batch", batchId, Long.class).add();
        }
        batch.execute();
        tx.createUpdate(PRUNE).bind("collector", collector).bind("keep", MAX_KEPT_PER_COLLECTOR).execute();
    }
}
