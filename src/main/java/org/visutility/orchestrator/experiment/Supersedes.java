package org.visutility.orchestrator.experiment;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.store.SqlFiles;

import java.util.Optional;
import java.util.Set;

/**
 * experiments submit --supersedes ID: the new experiment replaces a run of the same model that
 * failed, was cancelled or was abandoned. Checked in the inserting transaction with the old run
 * locked, so it cannot be restarted or superseded twice meanwhile (a unique index backs the latter).
 */
final class Supersedes {
    /** The statuses of a run that may be superseded: it ended without a result. */
    static final Set<ExperimentStatus> REPLACEABLE = Set.of(ExperimentStatus.FAILED, ExperimentStatus.CANCELLED, ExperimentStatus.ABANDONED);
    private static final String LOCK = SqlFiles.load(Supersedes.class, "LockSuperseded");

    private Supersedes() {
    }

    /** Throws {@link SupersedesRefused} unless experiment {@code id} may be superseded by a new one of {@code model}. */
    static void check(Handle h, long id, String model) {
        record Old(String model, ExperimentStatus status, Optional<Long> supersededBy) {
        }
        Old old = h.createQuery(LOCK).bind("id", id)
                .map((rs, ctx) -> new Old(rs.getString("model"), ExperimentStatus.of(rs.getString("status")),
                        Optional.ofNullable((Long) rs.getObject("superseded_by", Long.class))))
                .findOne()
                .orElseThrow(() -> new SupersedesRefused(SupersedesRefused.Reason.UNKNOWN, "no experiment " + id));
        if (!old.model().equals(model)) {
            throw new SupersedesRefused(SupersedesRefused.Reason.OTHER_MODEL, "experiment " + id + " is of model " + old.model()
                    + ", not " + model + "; a run is superseded only by one of the same model");
        }
        if (old.status() == ExperimentStatus.SUCCEEDED) {
            throw new SupersedesRefused(SupersedesRefused.Reason.SUCCEEDED, "experiment " + id
                    + " succeeded; only a failed, cancelled or abandoned run can be superseded");
        }
        if (!REPLACEABLE.contains(old.status())) {
            throw new SupersedesRefused(SupersedesRefused.Reason.NOT_ENDED, "experiment " + id + " is still " + old.status().sql()
                    + "; only a failed, cancelled or abandoned run can be superseded (cancel it first, or wait for its end)");
        }
        if (old.supersededBy().isPresent()) {
            throw new SupersedesRefused(SupersedesRefused.Reason.ALREADY_SUPERSEDED, "experiment " + id
                    + " is superseded by experiment " + old.supersededBy().get() + " already");
        }
    }
}
