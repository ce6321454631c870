package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one writer of orchestrator.model_version.status. Every change is a row of
 * orchestrator.model_version_event written first, then the status set by compare-and-set, in the
 * caller's transaction, so both commit or neither does. Every change first locks the model's row:
 * changes of one model's versions run one after the other, so a change to {@code active} always
 * sees (and retires) the version that is active at that moment; the database's partial unique
 * index {@code model_version_one_active} refuses a second active version whatever the path.
 */
public final class VersionTransitions {
    private static final String LOCK_MODEL = SqlFiles.load(VersionTransitions.class, "LockModel");
    private static final String FIND_BY_ID = SqlFiles.load(VersionTransitions.class, "FindVersionById");
    private static final String ACTIVE = SqlFiles.load(VersionTransitions.class, "ActiveVersion");
    private static final String INSERT_EVENT = SqlFiles.load(VersionTransitions.class, "InsertEvent");
    private static final String SET_STATUS = SqlFiles.load(VersionTransitions.class, "SetStatus");
    private static final String REGISTER = SqlFiles.load(VersionTransitions.class, "RegisterVersion");
    private static final String REGISTER_CANDIDATE = SqlFiles.load(VersionTransitions.class, "RegisterCandidate");
    private static final String EXPERIMENT_MODEL = SqlFiles.load(VersionTransitions.class, "ExperimentModel");
    private static final String REGISTER_MANUAL = SqlFiles.load(VersionTransitions.class, "RegisterManualVersion");

    private VersionTransitions() {
    }

    /**
     * Changes one version's status by one step of the lifecycle ({@link VersionStatus#canBecome}).
     * A change to {@code active} also retires the model's active version (same actor, reason
     * "replaced by ...").
     *
     * @return the changes recorded, in order (the retirement first)
     * @throws TransitionRefused the version does not exist or may not change so; nothing was written
     */
    public static List<Change> change(Handle h, long versionId, VersionStatus to, Actor actor, String reason, JsonNode evidence) {
        requireTransaction(h);
        String why = LifecycleText.reason("reason", reason);
        VersionRow v = lockedVersion(h, versionId);
        if (!v.status().canBecome(to)) {
            throw new TransitionRefused(v.label() + " is " + v.status() + ": it cannot become " + to
                    + " (a " + v.status() + " version can become " + v.status().nextStatuses() + ")");
        }
        ObjectNode ev = evidence(evidence);
        List<Change> changes = new ArrayList<>(2);
        if (to == VersionStatus.ACTIVE) retireActive(h, v.modelId(), v.version(), actor, why, evidence, ev).ifPresent(changes::add);
        changes.add(write(h, v, to, actor, why, ev));
        return changes;
    }

    /**
     * The hook for {@code activate: auto}: a candidate (or an approved version) is approved and made
     * active at once, the model's active version retired: events candidate -> approved, then the
     * retirement, then approved -> active.
     *
     * @throws TransitionRefused the version is neither a candidate nor approved; nothing was written
     */
    public static List<Change> approveAndActivate(Handle h, long versionId, Actor actor, String reason, JsonNode evidence) {
        requireTransaction(h);
        VersionRow v = lockedVersion(h, versionId);
        if (v.status() != VersionStatus.CANDIDATE && v.status() != VersionStatus.APPROVED) {
            throw new TransitionRefused(v.label() + " is " + v.status() + ": only a candidate or an approved version can be approved and activated");
        }
        List<Change> changes = new ArrayList<>(3);
        if (v.status() == VersionStatus.CANDIDATE) changes.addAll(change(h, versionId, VersionStatus.APPROVED, actor, reason, evidence));
        changes.addAll(change(h, versionId, VersionStatus.ACTIVE, actor, reason, evidence));
        return changes;
    }

    /** An experiment's result registered as a candidate version of its model (event actor experiment). */
    public static Change registerCandidate(Handle h, long experimentId, String version, long hyperparameterSetId,
                                           Optional<String> artifactUri) {
        requireTransaction(h);
        long modelId = h.createQuery(EXPERIMENT_MODEL).bind("experiment", experimentId).mapTo(Long.class).one();
        lockModel(h, modelId);
        long id = h.createQuery(REGISTER_CANDIDATE).bind("experiment", experimentId).bind("version", version)
                .bind("hyperparameterSet", hyperparameterSetId).bind("artifactUri", artifactUri.orElse(null))
                .mapTo(Long.class).one();
        ObjectNode evidence = Json.MAPPER.createObjectNode().put("experiment_id", experimentId)
                .put("hyperparameter_set_id", hyperparameterSetId);
        return insertEvent(h, find(h, id).orElseThrow(), Optional.empty(), VersionStatus.CANDIDATE, Actor.EXPERIMENT,
                "registered by experiment " + experimentId, evidence);
    }

    /**
     * A version first seen in the serving stack's snapshots, registered as {@code active} (the
     * model's active version retired) or {@code retired}. The caller holds the model's lock and has
     * checked that the version is new.
     */
    static List<Change> registerReported(Handle h, long modelId, String version, VersionStatus status, String reason,
                                         JsonNode evidence) {
        requireTransaction(h);
        lockModel(h, modelId);
        ObjectNode ev = evidence(evidence);
        List<Change> changes = new ArrayList<>(2);
        if (status == VersionStatus.ACTIVE) retireActive(h, modelId, version, Actor.SERVING, reason, evidence, ev).ifPresent(changes::add);
        long id = h.createQuery(REGISTER).bind("model", modelId).bind("version", version).bind("status", status.sql())
                .mapTo(Long.class).one();
        changes.add(insertEvent(h, find(h, id).orElseThrow(), Optional.empty(), status, Actor.SERVING, reason, ev));
        return changes;
    }

    /** A version an operator registers with its artifact, as a candidate. The caller holds the model's lock and has checked that the version is new. */
    static Change registerManual(Handle h, long modelId, String version, String artifactUri, Actor actor, String reason,
                                 JsonNode evidence) {
        requireTransaction(h);
        long id = h.createQuery(REGISTER_MANUAL).bind("model", modelId).bind("version", version).bind("artifactUri", artifactUri)
                .mapTo(Long.class).one();
        return insertEvent(h, find(h, id).orElseThrow(), Optional.empty(), VersionStatus.CANDIDATE, actor, reason, evidence(evidence));
    }

    /** Locks the model's row until the transaction ends; every change of its versions' status takes it first. */
    static void lockModel(Handle h, long modelId) {
        h.createQuery(LOCK_MODEL).bind("model", modelId).mapTo(Long.class).one();
    }

    static Optional<VersionRow> find(Handle h, long versionId) {
        return h.createQuery(FIND_BY_ID).bind("id", versionId).map(VersionRow.MAPPER).findOne();
    }

    static Optional<VersionRow> active(Handle h, long modelId) {
        return h.createQuery(ACTIVE).bind("model", modelId).map(VersionRow.MAPPER).findOne();
    }

    private static VersionRow lockedVersion(Handle h, long versionId) {
        VersionRow seen = find(h, versionId).orElseThrow(() -> new TransitionRefused("no model version with id " + versionId));
        lockModel(h, seen.modelId());
        // read again under the lock: a change that committed while we waited is seen now
        return find(h, versionId).orElseThrow();
    }

    /**
     * Retires the model's active version, if any, before {@code replacement} becomes active (the
     * unique index allows one at a time); notes it in the replacement's evidence.
     */
    private static Optional<Change> retireActive(Handle h, long modelId, String replacement, Actor actor, String why,
                                                 JsonNode evidence, ObjectNode replacementEvidence) {
        Optional<VersionRow> current = active(h, modelId);
        if (current.isEmpty()) return Optional.empty();
        replacementEvidence.put("retired", current.get().version());
        return Optional.of(write(h, current.get(), VersionStatus.RETIRED, actor,
                LifecycleText.bounded("replaced by " + replacement + ": " + why), evidence(evidence).put("replaced_by", replacement)));
    }

    private static Change write(Handle h, VersionRow v, VersionStatus to, Actor actor, String reason, ObjectNode evidence) {
        Change c = insertEvent(h, v, Optional.of(v.status()), to, actor, reason, evidence);
        int updated = h.createUpdate(SET_STATUS).bind("id", v.id()).bind("from", v.status().sql()).bind("to", to.sql()).execute();
        if (updated != 1) {
            // only a write that bypassed this class (and the model's lock) can get here
            throw new IllegalStateException(v.label() + " is no longer " + v.status() + ": its status was changed outside the lifecycle");
        }
        return c;
    }

    private static Change insertEvent(Handle h, VersionRow v, Optional<VersionStatus> from, VersionStatus to, Actor actor,
                                      String reason, ObjectNode evidence) {
        return h.createQuery(INSERT_EVENT).bind("version", v.id()).bind("from", from.map(VersionStatus::sql).orElse(null))
                .bind("to", to.sql()).bind("actor", actor.value()).bind("reason", reason).bind("evidence", evidence.toString())
                .map((rs, ctx) -> new Change(rs.getLong("id"), v.id(), v.model(), v.version(), from, to,
                        SqlValues.instant(rs, "at"), actor.value(), reason, evidence))
                .one();
    }

    private static ObjectNode evidence(JsonNode given) {
        if (given == null || given.isNull()) return Json.MAPPER.createObjectNode();
        if (!given.isObject()) throw new IllegalArgumentException("evidence must be a JSON object, is " + given.getNodeType());
        return ((ObjectNode) given).deepCopy();
    }

    private static void requireTransaction(Handle h) {
        // the event and the status must commit together: never in autocommit
        if (!h.isInTransaction()) throw new IllegalStateException("a model version's status changes only inside a transaction");
    }
}
