package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the serving stack's snapshots say about the lifecycle, decided in the ingest transaction
 * (actor {@code serving}):
 * <ul>
 *   <li>a version never seen before is registered (source ingest): {@code active} when it is the
 *       batch's newest new version of its model and its newest snapshot is newer than every
 *       snapshot of the model's active version (an active version without snapshots, or none, counts as
 *       older), the active one retired;
 *       otherwise {@code retired} (history of an older version, sent late);</li>
 *   <li>the first snapshots of an {@code approved} version make it {@code active}, the active one
 *       retired;</li>
 *   <li>snapshots of a candidate, rejected, active or retired version are recorded and change
 *       nothing (shadow traffic, a canary, late data): a candidate serves only once approved.</li>
 * </ul>
 * Only batches that hold such versions lock their models (in id order); the others cost one query.
 */
public final class ServingReports {
    private static final Logger LOG = LoggerFactory.getLogger(ServingReports.class);
    private static final String REPORTED = SqlFiles.load(ServingReports.class, "ReportedLifecycle");
    private static final String FIRST_SNAPSHOTS = SqlFiles.load(ServingReports.class, "FirstSnapshotsInBatch");
    private static final String LAST_OBSERVED = SqlFiles.load(ServingReports.class, "LastObservedAt");

    /** The approved versions a batch reports, to be activated once its snapshots are inserted. */
    public static final class Pending {
        private final List<Row> approved;

        private Pending(List<Row> approved) {
            this.approved = approved;
        }

        /**
         * After the batch's snapshots are inserted: each model's approved version with snapshots
         * new in this batch (the one observed last, if several) becomes active.
         */
        public List<Change> afterSnapshots(Handle tx, long batchId) {
            if (approved.isEmpty()) return List.of();
            List<Long> ids = approved.stream().map(Row::versionId).toList();
            Map<Long, First> firsts = new LinkedHashMap<>();
            tx.createQuery(FIRST_SNAPSHOTS).bind("versions", SqlValues.arrayLiteral(ids)).bind("batch", batchId)
                    .map((rs, ctx) -> new First(rs.getLong("model_version_id"), SqlValues.instant(rs, "newest"), rs.getLong("snapshots")))
                    .forEach(f -> firsts.put(f.versionId(), f));
            Map<Long, First> chosen = new LinkedHashMap<>();
            for (Row r : approved) {
                First f = firsts.get(r.versionId());
                if (f == null) continue;
                First other = chosen.get(r.modelId());
                if (other == null || f.newest().isAfter(other.newest())) chosen.put(r.modelId(), f);
            }
            List<Change> changes = new ArrayList<>();
            for (First f : chosen.values()) {
                ObjectNode evidence = Json.MAPPER.createObjectNode().put("batch_id", batchId).put("snapshots", f.snapshots())
                        .put("newest_observed_at", f.newest().toString());
                changes.addAll(VersionTransitions.change(tx, f.versionId(), VersionStatus.ACTIVE, Actor.SERVING,
                        "first snapshots reported under the approved version", evidence));
            }
            log(changes);
            return changes;
        }
    }

    /** A reported version whose lifecycle the batch may change: never seen (no id) or approved. */
    private record Row(long modelId, String version, Instant newest, Long versionId) {
    }

    private record First(long versionId, Instant newest, long snapshots) {
    }

    private ServingReports() {
    }

    /**
     * Before the batch's snapshots are inserted (its models exist): locks the models whose
     * lifecycle the batch may change and registers the versions never seen before.
     *
     * @return the approved versions to look at once the snapshots are in
     */
    public static Pending beforeSnapshots(Handle tx, long batchId, Collection<ReportedVersion> reported) {
        List<Row> rows = reported(tx, reported);
        if (rows.isEmpty()) return new Pending(List.of());
        // lock in one order (model id) so that concurrent batches cannot deadlock, then look again:
        // another batch or an operator may have changed these versions while we waited
        for (long model : new TreeSet<>(rows.stream().map(Row::modelId).toList())) VersionTransitions.lockModel(tx, model);
        rows = reported(tx, reported);
        List<Row> approved = new ArrayList<>();
        Map<Long, List<Row>> unseen = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.versionId() == null) unseen.computeIfAbsent(r.modelId(), k -> new ArrayList<>()).add(r);
            else approved.add(r);
        }
        List<Change> changes = new ArrayList<>();
        for (List<Row> news : unseen.values()) changes.addAll(registerUnseen(tx, batchId, news));
        log(changes);
        return new Pending(approved);
    }

    /** One model's new versions, newest first: the newest may take over, the others are history. */
    private static List<Change> registerUnseen(Handle tx, long batchId, List<Row> news) {
        Row newest = news.get(0);
        Optional<VersionRow> active = VersionTransitions.active(tx, newest.modelId());
        Optional<Instant> activeLast = active.flatMap(a -> lastObserved(tx, a.id()));
        boolean takesOver = activeLast.map(t -> newest.newest().isAfter(t)).orElse(true);
        List<Change> changes = new ArrayList<>();
        for (Row r : news) {
            boolean activates = r == newest && takesOver;
            ObjectNode evidence = Json.MAPPER.createObjectNode().put("batch_id", batchId).put("newest_observed_at", r.newest().toString());
            active.ifPresent(a -> evidence.put("active_version", a.version()));
            activeLast.ifPresent(t -> evidence.put("active_last_observed_at", t.toString()));
            changes.addAll(VersionTransitions.registerReported(tx, r.modelId(), r.version(),
                    activates ? VersionStatus.ACTIVE : VersionStatus.RETIRED, reason(r, newest, activates, active), evidence));
        }
        return changes;
    }

    private static String reason(Row r, Row newest, boolean activates, Optional<VersionRow> active) {
        if (activates) {
            return active.map(a -> "first seen, in snapshots newer than any of active version " + a.version())
                    .orElse("first seen; the model had no active version");
        }
        if (r != newest) return "first seen beside " + newest.version() + ", which the same batch observed later";
        return "first seen, in snapshots older than the newest of active version "
                + active.map(VersionRow::version).orElse("?") + " (history sent late)";
    }

    private static Optional<Instant> lastObserved(Handle tx, long versionId) {
        return tx.createQuery(LAST_OBSERVED).bind("version", versionId)
                .map((rs, ctx) -> Optional.ofNullable(SqlValues.instant(rs, "last_observed_at"))).one();
    }

    private static List<Row> reported(Handle tx, Collection<ReportedVersion> reported) {
        List<String> models = new ArrayList<>(reported.size());
        List<String> versions = new ArrayList<>(reported.size());
        List<Long> newest = new ArrayList<>(reported.size());
        for (ReportedVersion r : reported) {
            models.add(r.model());
            versions.add(r.version());
            newest.add(SqlValues.micros(r.newestObservedAt()));
        }
        return tx.createQuery(REPORTED)
                .bindArray("models", String.class, models)
                .bindArray("versions", String.class, versions)
                .bindArray("newest_us", Long.class, newest)
                .map((rs, ctx) -> new Row(rs.getLong("model_id"), rs.getString("version"), SqlValues.instant(rs, "newest"),
                        SqlValues.longOrNull(rs, "version_id")))
                .list();
    }

    private static void log(List<Change> changes) {
        for (Change c : changes) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("model", c.model())) {
                LOG.info("Version {} of model {}: {} ({}: {})", c.version(), c.model(), c.arrow(), c.actor(), c.reason());
            }
        }
    }
}
