package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.store.SqlFiles;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model version behind each evidence snapshot, so that a recorded decision says which version
 * its evidence observed (detail.conditions[].model_versions), and when each was observed, so that it
 * records the months its evidence lies in (evidence_observed_from and _to): one lookup per pass, for
 * the decisions it records only.
 */
final class EvidenceVersions {
    /** A model version: its id (orchestrator.model_version.id) and label (v3). */
    record Version(long id, String label) {
    }

    /** When a decision's evidence was observed, first and last. */
    record Observed(OffsetDateTime first, OffsetDateTime last) {
    }

    /** What the pass's evidence snapshots are, by snapshot id: the version each observed, and when. */
    record Lookup(Map<Long, Version> versions, Map<Long, OffsetDateTime> observedAt) {
        /** The first and last observation time of {@code ids}; null when one of them was not found. */
        Observed bounds(List<Long> ids) {
            OffsetDateTime first = null;
            OffsetDateTime last = null;
            for (Long id : ids) {
                OffsetDateTime at = observedAt.get(id);
                if (at == null) return null;
                if (first == null || at.isBefore(first)) first = at;
                if (last == null || at.isAfter(last)) last = at;
            }
            return first == null ? null : new Observed(first, last);
        }
    }

    private static final String SQL = SqlFiles.load(EvidenceVersions.class, "EvidenceVersions");

    private EvidenceVersions() {
    }

    static Lookup of(Handle h, List<Decision> recorded) {
        Set<Long> ids = new LinkedHashSet<>();
        recorded.forEach(d -> {
            d.step().results().forEach(r -> ids.addAll(r.evidence()));
            ids.addAll(d.step().evidence());
        });
        Map<Long, Version> versions = new HashMap<>();
        Map<Long, OffsetDateTime> observedAt = new HashMap<>();
        if (ids.isEmpty()) return new Lookup(versions, observedAt);
        h.createQuery(SQL).bindArray("ids", Long.class, List.copyOf(ids))
                .map((rs, ctx) -> {
                    long id = rs.getLong("snapshot_id");
                    observedAt.put(id, rs.getObject("observed_at", OffsetDateTime.class));
                    return versions.put(id, new Version(rs.getLong("version_id"), rs.getString("version")));
                })
                .forEach(x -> { });
        return new Lookup(versions, observedAt);
    }
}
