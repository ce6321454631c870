package org.visutility.orchestrator.collect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How rejections are told: as JSON (HTTP answers, {@code --json}) and as lines for people. The
 * position is called {@code index} in an HTTP batch and {@code line} in a file.
 */
final class IngestReports {
    private IngestReports() {
    }

    static List<Map<String, Object>> violations(List<Violation> violations, String positionName) {
        List<Map<String, Object>> out = new ArrayList<>(violations.size());
        for (Violation v : violations) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (v.position() != Violation.WHOLE_INPUT) m.put(positionName, v.position());
            m.put("field", v.field());
            m.put("rule", v.rule());
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> conflicts(List<SnapshotConflictException.Conflict> conflicts, String positionName) {
        List<Map<String, Object>> out = new ArrayList<>(conflicts.size());
        for (SnapshotConflictException.Conflict c : conflicts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(positionName, c.position());
            m.put("model", c.model());
            m.put("version", c.version());
            m.put("observed_at", c.observedAt().toString());
            m.put("segment", c.segment());
            m.put("source", c.source());
            m.put("rule", CONFLICT_RULE);
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> distributionConflicts(List<DistributionConflictException.Conflict> conflicts, String positionName) {
        List<Map<String, Object>> out = new ArrayList<>(conflicts.size());
        for (DistributionConflictException.Conflict c : conflicts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(positionName, c.position());
            m.put("model", c.model());
            m.put("version", c.version());
            m.put("feature", c.feature());
            m.put("segment", c.segment());
            m.put("source", c.source());
            m.put("observed_at", c.observedAt().toString());
            m.put("rule", DistributionConflictException.RULE);
            out.add(m);
        }
        return out;
    }

    static String line(DistributionConflictException.Conflict c, String positionName) {
        return positionName + " " + c.position() + ": conflict on model=" + c.model() + " version=" + c.version() + " feature=" + c.feature()
                + " segment=" + c.segment() + " source=" + c.source() + " observed_at=" + c.observedAt() + ": " + DistributionConflictException.RULE;
    }

    static final String CONFLICT_RULE = "a snapshot with this key (model, version, observed_at, segment, source) is already stored,"
            + " or given earlier, with a different sample_count or different metrics";

    static String line(Violation v, String positionName) {
        String where = v.position() == Violation.WHOLE_INPUT ? "" : positionName + " " + v.position() + ": ";
        return where + v.field() + " " + v.rule();
    }

    static String line(SnapshotConflictException.Conflict c, String positionName) {
        return positionName + " " + c.position() + ": conflict on model=" + c.model() + " version=" + c.version() + " observed_at="
                + c.observedAt() + " segment=" + c.segment() + " source=" + c.source() + ": " + CONFLICT_RULE;
    }
}
