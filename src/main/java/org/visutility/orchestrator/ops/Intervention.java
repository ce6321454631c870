package org.visutility.orchestrator.ops;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.store.SqlFiles;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * One line of orchestrator.experiment_intervention: a change made to an experiment from outside its
 * run (a rescue, ops restart / abandon / recover), written in the same transaction as the change.
 */
record Intervention(long experimentId, String action, String outcome, String actor, String previousStatus,
                    Optional<String> previousOwner, Optional<Instant> lastHeartbeatAt, Optional<Long> jobExecutionId,
                    String note) {
    static final String RESCUE = "rescue";
    static final String RECOVER = "recover";
    static final String RESTART = "restart";
    static final String ABANDON = "abandon";
    static final String REQUEUED = "requeued";
    static final String MARKED_FAILED = "marked_failed";
    static final String ABANDONED = "abandoned";

    private static final String INSERT = SqlFiles.load(Intervention.class, "RecordIntervention");

    void record(Handle h) {
        h.createUpdate(INSERT).bind("experimentId", experimentId).bind("action", action).bind("outcome", outcome)
                .bind("actor", actor).bind("previousStatus", previousStatus)
                .bind("previousOwner", previousOwner.orElse(null))
                .bind("lastHeartbeatAt", lastHeartbeatAt.map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null))
                .bind("jobExecutionId", jobExecutionId.orElse(null)).bind("note", note).execute();
    }
}
