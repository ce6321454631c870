package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlFiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an operator does by hand (the {@code models promote|reject|rollback} commands), by model and
 * version name, in the caller's transaction. Each checks its input, takes the model's lock, checks
 * again what it found, then changes the statuses through {@link VersionTransitions}; a refusal
 * ({@link TransitionRefused}) writes nothing.
 */
public final class OperatorActions {
    private static final String FIND_MODEL = SqlFiles.load(OperatorActions.class, "FindModel");
    private static final String FIND_VERSION = SqlFiles.load(OperatorActions.class, "FindVersion");
    private static final String PREVIOUSLY_ACTIVE = SqlFiles.load(OperatorActions.class, "PreviouslyActiveVersion");
    private static final String LAST_CHANGE = SqlFiles.load(OperatorActions.class, "LastChange");
    private static final String ENSURE_MODEL = SqlFiles.load(OperatorActions.class, "EnsureModel");
    private static final String RECORD_ARTIFACT = SqlFiles.load(OperatorActions.class, "RecordArtifact");

    /** What an action did: the version it acted on as it was before, and the changes recorded (none: nothing to do). */
    public record Outcome(VersionRow version, List<Change> changes) {
        public boolean changed() {
            return !changes.isEmpty();
        }

        /** The version this action retired, if it retired one. */
        public Optional<Change> retirement() {
            return changes.stream().filter(c -> c.to() == VersionStatus.RETIRED && c.versionId() != version.id()).findFirst();
        }
    }

    private OperatorActions() {
    }

    /**
     * Makes a version active and retires the active one: a candidate or an approved version, a
     * retired one (back into service), or a rejected one with {@code force}. A candidate (or a
     * forced rejected version) is approved first, so the history shows both steps.
     */
    public static Outcome promote(Handle h, String model, String version, boolean force, Actor actor, String reason) {
        VersionRow v = lockedVersion(h, model, version);
        if (v.status() == VersionStatus.ACTIVE) return new Outcome(v, List.of());
        if (v.status() == VersionStatus.REJECTED && !force) {
            throw new TransitionRefused(v.label() + " was rejected" + lastChange(h, v) + "; promote it anyway with --force");
        }
        ObjectNode evidence = command("models promote");
        if (v.status() == VersionStatus.REJECTED) evidence.put("force", true);
        List<Change> changes = new ArrayList<>(3);
        if (v.status() == VersionStatus.CANDIDATE || v.status() == VersionStatus.REJECTED) {
            changes.addAll(VersionTransitions.change(h, v.id(), VersionStatus.APPROVED, actor, reason, evidence));
        }
        changes.addAll(VersionTransitions.change(h, v.id(), VersionStatus.ACTIVE, actor, reason, evidence));
        return new Outcome(v, changes);
    }

    /** Rejects a candidate or an approved version; a version already rejected stays as it is. */
    public static Outcome reject(Handle h, String model, String version, Actor actor, String reason) {
        VersionRow v = lockedVersion(h, model, version);
        if (v.status() == VersionStatus.REJECTED) return new Outcome(v, List.of());
        if (!v.status().canBecome(VersionStatus.REJECTED)) {
            throw new TransitionRefused(v.label() + " is " + v.status() + ": only a candidate or an approved version can be rejected"
                    + (v.status() == VersionStatus.ACTIVE ? " (to take it out of service, roll back or promote another version)" : ""));
        }
        return new Outcome(v, VersionTransitions.change(h, v.id(), VersionStatus.REJECTED, actor, reason, command("models reject")));
    }

    /** The model's previously active version back to active, the active one retired. */
    public static Outcome rollback(Handle h, String model, Actor actor, String reason) {
        long modelId = modelId(h, model);
        VersionTransitions.lockModel(h, modelId);
        VersionRow current = VersionTransitions.active(h, modelId).orElseThrow(() -> new TransitionRefused(
                "model " + model + " has no active version to roll back from (models promote MODEL VERSION makes one active)"));
        VersionRow previous = h.createQuery(PREVIOUSLY_ACTIVE).bind("model", modelId).map(VersionRow.MAPPER).findOne()
                .orElseThrow(() -> new TransitionRefused("model " + model + " has no previously active version to roll back to ("
                        + current.version() + " is the only version that has been active)"));
        ObjectNode evidence = command("models rollback").put("rolled_back", current.version());
        return new Outcome(previous, VersionTransitions.change(h, previous.id(), VersionStatus.ACTIVE, actor, reason, evidence));
    }

    /** What {@link #register} did: the version as it is now, and whether it was new or only gained its artifact. */
    public record Registration(VersionRow version, boolean registered, boolean artifactRecorded) {
    }

    /**
     * Registers a version with its artifact (a candidate; the model too if it is new), or records the
     * artifact of a version that has none yet, such as one first seen in snapshots: the gate scores a
     * model's active version from its artifact. An artifact once recorded is never replaced.
     */
    public static Registration register(Handle h, String model, String version, String artifactUri, Actor actor, String reason) {
        long modelId = h.createQuery(ENSURE_MODEL).bind("name", model).mapTo(Long.class).list().get(0);
        VersionTransitions.lockModel(h, modelId);
        Optional<VersionRow> found = h.createQuery(FIND_VERSION).bind("model", model).bind("version", version).map(VersionRow.MAPPER).findOne();
        if (found.isEmpty()) {
            ObjectNode evidence = command("models register").put("artifact_uri", artifactUri);
            Change c = VersionTransitions.registerManual(h, modelId, version, artifactUri, actor, reason, evidence);
            return new Registration(VersionTransitions.find(h, c.versionId()).orElseThrow(), true, true);
        }
        VersionRow v = found.get();
        if (v.artifactUri().isPresent()) {
            if (v.artifactUri().get().equals(artifactUri)) return new Registration(v, false, false);
            throw new TransitionRefused(v.label() + " already has the artifact " + LifecycleText.shown(v.artifactUri().get())
                    + "; a version's artifact never changes (register the new model as a new version)");
        }
        h.createUpdate(RECORD_ARTIFACT).bind("id", v.id()).bind("artifactUri", artifactUri).execute();
        return new Registration(VersionTransitions.find(h, v.id()).orElseThrow(), false, true);
    }

    private static VersionRow lockedVersion(Handle h, String model, String version) {
        long modelId = modelId(h, model);
        VersionTransitions.lockModel(h, modelId);
        return h.createQuery(FIND_VERSION).bind("model", model).bind("version", version).map(VersionRow.MAPPER).findOne()
                .orElseThrow(() -> new UnknownModelOrVersion("model " + model + " has no version " + LifecycleText.shown(version)
                        + " (models show " + model + " lists them)"));
    }

    private static long modelId(Handle h, String model) {
        return h.createQuery(FIND_MODEL).bind("name", model).mapTo(Long.class).findOne()
                .orElseThrow(() -> new UnknownModelOrVersion("no model " + LifecycleText.shown(model) + " (models list shows them)"));
    }

    private static String lastChange(Handle h, VersionRow v) {
        return h.createQuery(LAST_CHANGE).bind("version", v.id())
                .map((rs, ctx) -> " (by " + rs.getString("actor") + ": " + rs.getString("reason") + ")").findOne().orElse("");
    }

    private static ObjectNode command(String name) {
        return Json.MAPPER.createObjectNode().put("command", name);
    }
}
