package org.visutility.orchestrator.collect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the CSV form: a header {@code model,version,observed_at,sample_count,segment,source}
 * followed by one column per metric, then one snapshot per row ({@link org.visutility.orchestrator.core.CsvRows}: RFC 4180, so a
 * quoted cell may hold commas and span lines). An empty metric cell means the snapshot has no value
 * for that metric; empty segment and source cells mean none. A column named {@code final} (anywhere
 * after the leading ones) is not a metric: it says whether each row's window is final ({@code true},
 * {@code false}, empty for the source's default). Header cells are trimmed, data cells are taken as written.
 */
public final class CsvSnapshotReader {
    public static final List<String> LEADING_COLUMNS = List.of("model", "version", "observed_at", "sample_count", "segment", "source");

    private static final int ABSENT = -1;

    /** The names of the columns after the leading ones; null at the place of the final column. */
    private final List<String> metricNames;
    private final int finalColumn;

    private CsvSnapshotReader(List<String> metricNames, int finalColumn) {
        this.metricNames = java.util.Collections.unmodifiableList(new ArrayList<>(metricNames));
        this.finalColumn = finalColumn;
    }

    /** Reads the header row; returns null (with violations at its line) when it is not the expected one. */
    static CsvSnapshotReader fromHeader(int line, List<String> cells, List<Violation> out) {
        int before = out.size();
        for (int i = 0; i < LEADING_COLUMNS.size(); i++) {
            String got = i < cells.size() ? cells.get(i).trim() : "(nothing)";
            if (!LEADING_COLUMNS.get(i).equals(got)) {
                out.add(new Violation(line, "header", "column " + (i + 1) + " must be " + LEADING_COLUMNS.get(i) + ", got "
                        + SnapshotBatchValidator.shown(got) + "; the header is " + String.join(",", LEADING_COLUMNS)
                        + " followed by one column per metric"));
                return null;
            }
        }
        List<String> metrics = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int finalColumn = ABSENT;
        for (int i = LEADING_COLUMNS.size(); i < cells.size(); i++) {
            String m = cells.get(i).trim();
            if (m.equals(SnapshotBatchValidator.FINAL_FIELD)) {
                if (finalColumn != ABSENT) out.add(new Violation(line, "header", "column final appears twice"));
                finalColumn = i;
                metrics.add(null); // keeps the metric columns' places
                continue;
            }
            if (!SnapshotBatchValidator.isName(m)) {
                out.add(new Violation(line, "header", "metric column " + (i + 1) + " " + SnapshotBatchValidator.shown(m)
                        + " is not a metric name: it " + SnapshotBatchValidator.NAME_RULE));
            } else if (!seen.add(m)) {
                out.add(new Violation(line, "header", "metric column " + m + " appears twice"));
            }
            metrics.add(m);
        }
        long metricCount = metrics.stream().filter(java.util.Objects::nonNull).count();
        if (metricCount == 0) {
            out.add(new Violation(line, "header", "needs at least one metric column after " + String.join(",", LEADING_COLUMNS)));
        } else if (metricCount > SnapshotBatchValidator.MAX_METRICS_PER_SNAPSHOT) {
            out.add(new Violation(line, "header", "has " + metricCount + " metric columns; at most "
                    + SnapshotBatchValidator.MAX_METRICS_PER_SNAPSHOT + " are allowed"));
        }
        return out.size() > before ? null : new CsvSnapshotReader(metrics, finalColumn);
    }

    /** One data row as a raw snapshot, or null (with a violation) when it does not have the header's columns. */
    RawSnapshot read(int line, List<String> cells, List<Violation> out) {
        int expected = LEADING_COLUMNS.size() + metricNames.size();
        if (cells.size() != expected) {
            out.add(new Violation(line, "line", "has " + cells.size() + " columns; the header has " + expected));
            return null;
        }
        Map<String, Object> metrics = new LinkedHashMap<>(metricNames.size() * 2);
        for (int i = 0; i < metricNames.size(); i++) {
            String cell = cells.get(LEADING_COLUMNS.size() + i);
            if (metricNames.get(i) != null && !cell.isEmpty()) metrics.put(metricNames.get(i), number(cell));
        }
        Object finalFlag = finalColumn == ABSENT ? null : text(cells.get(finalColumn));
        return new RawSnapshot(text(cells.get(0)), text(cells.get(1)), text(cells.get(2)), number(cells.get(3)),
                cells.get(4), cells.get(5), metrics, finalFlag, List.of());
    }

    private static String text(String cell) {
        return cell.isEmpty() ? null : cell;
    }

    /**
     * A cell as a number when it is written as one (digits, sign, point, exponent, NaN, Infinity),
     * else the text itself, which validation then rejects as "must be a number".
     */
    static Object number(String cell) {
        if (cell.isEmpty()) return null;
        boolean integral = true;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c >= '0' && c <= '9') continue;
            if ((c == '-' || c == '+') && (i == 0 || cell.charAt(i - 1) == 'e' || cell.charAt(i - 1) == 'E')) continue;
            if (c == '.' || c == 'e' || c == 'E') {
                integral = false;
                continue;
            }
            return switch (cell) {
                case "NaN" -> Double.NaN;
                case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> cell;
            };
        }
        try {
            return integral ? (Object) Long.parseLong(cell) : (Object) Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return cell;
        }
    }
}
