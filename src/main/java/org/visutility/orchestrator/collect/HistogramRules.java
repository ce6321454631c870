package org.visutility.orchestrator.collect;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules every histogram obeys, wherever it comes from (POST /api/v1/distributions, a JSON Lines
 * file, a SQL collector's row, a references file, a trainer's report): a known kind; numeric:
 * {@code bins} the n + 1 finite, strictly increasing edges and {@code counts} n non-negative whole
 * numbers; categorical: {@code counts} an object of value to count (or, from SQL, the values and
 * the counts as two arrays of one length) with distinct values; 1 to {@code maxBins} bins.
 * Each broken rule is a {@link Violation} naming the field.
 */
public final class HistogramRules {
    public static final String KINDS = "numeric or categorical";
    public static final int MAX_VALUE_LENGTH = 250;

    private final int maxBins;

    public HistogramRules(int maxBins) {
        this.maxBins = maxBins;
    }

    public int maxBins() {
        return maxBins;
    }

    /**
     * @param prefix     put before each field name (e.g. {@code features[2].}); empty for a distribution item
     * @param kind       the raw kind
     * @param bins       the raw edges: a List of numbers (absent for categorical)
     * @param categories the values as a separate List (a SQL row), or null when {@code counts} is an object
     * @param counts     a List of counts, or a Map of value to count (categorical in JSON)
     * @return the histogram, or null when a rule is broken (the violations are in {@code out})
     */
    public Histogram check(int position, String prefix, Object kind, Object bins, Object categories, Object counts, List<Violation> out) {
        if (kind == null) {
            out.add(new Violation(position, prefix + "kind", "is required: " + KINDS));
            return null;
        }
        Histogram.Kind k = kind instanceof String s ? Histogram.Kind.of(s) : null;
        if (k == null) {
            out.add(new Violation(position, prefix + "kind", "must be " + KINDS + ", got " + SnapshotBatchValidator.describe(kind)));
            return null;
        }
        return k == Histogram.Kind.NUMERIC
                ? numeric(position, prefix, bins, categories, counts, out)
                : categorical(position, prefix, bins, categories, counts, out);
    }

    private Histogram numeric(int position, String prefix, Object bins, Object categories, Object counts, List<Violation> out) {
        int before = out.size();
        if (categories != null) out.add(new Violation(position, prefix + "categories", "must be absent for kind numeric"));
        double[] edges = edges(position, prefix + "bins", bins, out);
        long[] n = counts instanceof Map<?, ?>
                ? wrongCounts(position, prefix, "must be an array of counts for kind numeric (an object of value to count is for kind categorical)", out)
                : counts(position, prefix + "counts", counts, out);
        if (edges != null && n != null && n.length != edges.length - 1) {
            out.add(new Violation(position, prefix + "counts", "must hold one count per bin: " + (edges.length - 1) + " (bins has "
                    + edges.length + " edges), got " + n.length));
        }
        if (out.size() > before) return null;
        return new Histogram(Histogram.Kind.NUMERIC, edges, null, n);
    }

    private Histogram categorical(int position, String prefix, Object bins, Object categories, Object counts, List<Violation> out) {
        int before = out.size();
        if (bins != null) out.add(new Violation(position, prefix + "bins", "must be absent for kind categorical (its counts are per value)"));
        List<Object> values = new ArrayList<>();
        List<Object> rawCounts = new ArrayList<>();
        if (counts instanceof Map<?, ?> m && categories == null) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                values.add(e.getKey());
                rawCounts.add(e.getValue());
            }
        } else if (categories instanceof List<?> cs && counts instanceof List<?> ns) {
            if (cs.size() != ns.size()) {
                out.add(new Violation(position, prefix + "counts", "must hold one count per value: " + cs.size() + ", got " + ns.size()));
                return null;
            }
            values.addAll(cs);
            rawCounts.addAll(ns);
        } else {
            String rule = categories == null
                    ? "must be an object of value to count for kind categorical, e.g. {\"monthly\": 300, \"yearly\": 80}"
                    : "and categories must be two arrays of one length for kind categorical";
            wrongCounts(position, prefix, rule + ", got " + SnapshotBatchValidator.describe(counts), out);
            return null;
        }
        if (values.isEmpty()) {
            out.add(new Violation(position, prefix + "counts", "must hold at least 1 value"));
            return null;
        }
        if (values.size() > maxBins) {
            out.add(new Violation(position, prefix + "counts", tooMany(values.size())));
            return null;
        }
        List<String> names = new ArrayList<>(values.size());
        long[] n = new long[values.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (!(v instanceof String s) || !isValue(s)) {
                out.add(new Violation(position, prefix + "counts", "value " + SnapshotBatchValidator.describe(v) + " must be 1-"
                        + MAX_VALUE_LENGTH + " characters without control characters"));
                continue;
            }
            if (!seen.add(s)) {
                out.add(new Violation(position, prefix + "counts", "value " + SnapshotBatchValidator.shown(s) + " is listed twice"));
                continue;
            }
            names.add(s);
            Long c = count(rawCounts.get(i));
            if (c == null) {
                out.add(new Violation(position, prefix + "counts." + SnapshotBatchValidator.printable(s), "must be a non-negative whole number, got "
                        + SnapshotBatchValidator.describe(rawCounts.get(i))));
            } else {
                n[i] = c;
            }
        }
        if (out.size() > before) return null;
        return new Histogram(Histogram.Kind.CATEGORICAL, null, List.copyOf(names), n);
    }

    private static long[] wrongCounts(int position, String prefix, String rule, List<Violation> out) {
        out.add(new Violation(position, prefix + "counts", rule));
        return null;
    }

    private double[] edges(int position, String field, Object bins, List<Violation> out) {
        if (bins == null) {
            out.add(new Violation(position, field, "is required for kind numeric: the n + 1 bin edges"));
            return null;
        }
        if (!(bins instanceof List<?> list)) {
            out.add(new Violation(position, field, "must be an array of bin edges, got " + SnapshotBatchValidator.describe(bins)));
            return null;
        }
        if (list.size() < 2) {
            out.add(new Violation(position, field, "must hold at least 2 edges (1 bin), got " + list.size()));
            return null;
        }
        if (list.size() - 1 > maxBins) {
            out.add(new Violation(position, field, tooMany(list.size() - 1)));
            return null;
        }
        double[] edges = new double[list.size()];
        for (int i = 0; i < edges.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                out.add(new Violation(position, field + "[" + i + "]", "must be a finite number, got " + SnapshotBatchValidator.describe(v)));
                return null;
            }
            edges[i] = number.doubleValue();
            if (i > 0 && !(edges[i] > edges[i - 1])) {
                out.add(new Violation(position, field + "[" + i + "]", "must be greater than the edge before it (edges strictly increase), got "
                        + edges[i] + " after " + edges[i - 1]));
                return null;
            }
        }
        return edges;
    }

    private long[] counts(int position, String field, Object counts, List<Violation> out) {
        if (counts == null) {
            out.add(new Violation(position, field, "is required"));
            return null;
        }
        if (!(counts instanceof List<?> list)) {
            out.add(new Violation(position, field, "must be an array of counts, got " + SnapshotBatchValidator.describe(counts)));
            return null;
        }
        if (list.isEmpty()) {
            out.add(new Violation(position, field, "must hold at least 1 count"));
            return null;
        }
        if (list.size() > maxBins) {
            out.add(new Violation(position, field, tooMany(list.size())));
            return null;
        }
        long[] n = new long[list.size()];
        for (int i = 0; i < n.length; i++) {
            Long c = count(list.get(i));
            if (c == null) {
                out.add(new Violation(position, field + "[" + i + "]", "must be a non-negative whole number, got "
                        + SnapshotBatchValidator.describe(list.get(i))));
                return null;
            }
            n[i] = c;
        }
        return n;
    }

    private String tooMany(int bins) {
        return "must hold at most " + maxBins + " bins (" + org.visutility.orchestrator.config.Setting.MAX_HISTOGRAM_BINS.env() + "), got " + bins;
    }

    /** A non-negative whole number, or null. */
    static Long count(Object v) {
        Long n = SnapshotBatchValidator.wholeNumber(v);
        return n == null || n < 0 ? null : n;
    }

    /** A categorical value: 1-250 characters, none a control character (they end up in terminals and COPY text). */
    static boolean isValue(String s) {
        if (s.isEmpty() || s.length() > MAX_VALUE_LENGTH) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029) return false;
        }
        return true;
    }
}
