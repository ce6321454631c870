package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.core.Json;

import java.util.Optional;

/**
 * Cancels an experiment, for experiments cancel and POST /api/v1/experiments/{id}/cancel: a queued
 * one never starts (its open trials are closed here, since no run will), a running one is stopped
 * by its node at its next heartbeat. The reason, naming who cancelled, becomes its error.
 */
public final class ExperimentCancellation {
    /** What happened: the status before, whether this call cancelled it, the status now. */
    public record Outcome(long id, ExperimentStatus was, boolean cancelled, ExperimentStatus status) {
        /** Cancelled now or before: what was asked holds. */
        public boolean holds() {
            return cancelled || ExperimentStatus.CANCELLED == status;
        }

        public ObjectNode toJson() {
            return Json.MAPPER.createObjectNode().put("id", id).put("cancelled", cancelled).put("was", was.sql()).put("status", status.sql());
        }

        /** One line for a person. */
        public String text() {
            if (cancelled) {
                return "experiment " + id + " cancelled (was " + was + ")"
                        + (ExperimentStatus.RUNNING == was ? "; its node stops its trainers at its next heartbeat" : "");
            }
            return "experiment " + id + " already " + status + "; nothing to cancel";
        }
    }

    private ExperimentCancellation() {
    }

    /** Empty when there is no experiment {@code id}. */
    public static Optional<Outcome> cancel(Jdbi jdbi, long id, String reason) {
        Optional<ExperimentRow> before = jdbi.withHandle(h -> ExperimentRows.find(h, id));
        if (before.isEmpty()) return Optional.empty();
        boolean cancelled = jdbi.withHandle(h -> ExperimentRows.cancel(h, id, reason));
        ExperimentStatus status = cancelled ? ExperimentStatus.CANCELLED
                : jdbi.withHandle(h -> ExperimentRows.find(h, id)).map(ExperimentRow::status).orElse(before.get().status());
        if (cancelled && ExperimentStatus.QUEUED == before.get().status()) {
            // nobody runs it, so nobody else will close its open trials (a requeued run may have some)
            jdbi.useHandle(h -> ExperimentRows.stopOpenTrialsOfCancelled(h, id, "stopped: the experiment was cancelled"));
        }
        return Optional.of(new Outcome(id, before.get().status(), cancelled, status));
    }
}
