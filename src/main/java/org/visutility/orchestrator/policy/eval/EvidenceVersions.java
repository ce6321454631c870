package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.store.SqlFiles;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model version behind each evidence snapshot, so that a recorded decision says which version
 * its evidence observed (detail.conditions[].model_versions): one lookup per pass, for the decisions
 * it records only.
 */
final class EvidenceVersions {
    /** A model version: its id (orchestrator.model_version.id) and label (v3). */
    record Version(long id, String label) {
    }

    private static final String SQL = SqlFiles.load(EvidenceVersions.class, "EvidenceVersions");

    private EvidenceVersions() {
    }

    static Map<Long, Version> of(Handle h, List<Decision> recorded) {
        Set<Long> ids = new LinkedHashSet<>();
        recorded.forEach(d -> d.step().results().forEach(r -> ids.addAll(r.evidence())));
        Map<Long, Version> versions = new HashMap<>();
        if (ids.isEmpty()) return versions;
        h.createQuery(SQL).bindArray("ids", Long.class, List.copyOf(ids))
                .map((rs, ctx) -> versions.put(rs.getLong("snapshot_id"), new Version(rs.getLong("version_id"), rs.getString("version"))))
                .forEach(x -> { });
        return versions;
    }
}
