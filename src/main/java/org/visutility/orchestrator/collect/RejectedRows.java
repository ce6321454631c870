package org.visutility.orchestrator.collect;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows one SQL collector run rejected: all of them counted, the first {@link #MAX_RECORDED}
 * kept with what they held and the rule they broke, for orchestrator.collector_rejects.
 */
final class RejectedRows {
    /** How many rejected rows one run records; the rest are only counted. */
    static final int MAX_RECORDED = 100;
    /** The longest rule text kept (the column's bound). */
    static final int MAX_RULE_CHARS = 2000;
    static final int MAX_FIELD_CHARS = 300;

    /** One recorded row: its place in the pull (from 1), the row as JSON text, whether that was cut, and why. */
    record Row(int rowNumber, String json, boolean truncated, String field, String rule) {
    }

    private final List<Row> recorded = new ArrayList<>();
    private int total;

    /** Whether a further rejected row would still be recorded (so its content is worth reading). */
    boolean recordsMore() {
        return recorded.size() < MAX_RECORDED;
    }

    /** A row that broke validation, with every rule it broke; {@code json} may be null when it is not recorded. */
    void invalid(int rowNumber, WarehouseRowJson.Bounded json, List<Violation> violations) {
        total++;
        if (!recordsMore() || json == null || violations.isEmpty()) return;
        Violation first = violations.get(0);
        StringBuilder rule = new StringBuilder(first.rule());
        for (Violation also : violations.subList(1, violations.size())) rule.append("; also ").append(also.field()).append(' ').append(also.rule());
        recorded.add(new Row(rowNumber, json.json(), json.truncated(), cut(first.field(), MAX_FIELD_CHARS), cut(rule.toString(), MAX_RULE_CHARS)));
    }

    /** A staged snapshot the write refused (its key is stored with other values, its model is unknown). */
    void refused(int rowNumber, String snapshotJson, String field, String rule) {
        total++;
        if (recordsMore()) recorded.add(new Row(rowNumber, snapshotJson, false, cut(field, MAX_FIELD_CHARS), cut(rule, MAX_RULE_CHARS)));
    }

    int total() {
        return total;
    }

    List<Row> recorded() {
        return recorded;
    }

    /** Bounded, and without NUL, which a text column refuses (a metric name from a JSON column may hold one). */
    private static String cut(String s, int max) {
        String clean = s.replace('\u0000', '\uFFFD');
        return clean.length() <= max ? clean : clean.substring(0, max - 3) + "...";
    }
}
