package org.visutility.orchestrator.collect;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated histogram of one feature: numeric (n + 1 strictly increasing finite edges, n counts)
 * or categorical (n distinct values, n counts; {@value #OTHER} is the bucket for values not listed).
 * Counts are non-negative. Built only by {@link HistogramRules}, or from rows the database checked.
 */
public record Histogram(Kind kind, double[] edges, List<String> categories, long[] counts) {
    /** The categorical value that holds every value not listed. */
    public static final String OTHER = "__other__";
    /** The feature that is the model's output (its predicted score or class). */
    public static final String PREDICTION = "prediction";

    public enum Kind {
        NUMERIC, CATEGORICAL;

        /** As the tables and the JSON spell it. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind of(String word) {
            for (Kind k : values()) if (k.word().equals(word)) return k;
            return null;
        }
    }

    public long sampleCount() {
        long n = 0;
        for (long c : counts) n += c;
        return n;
    }

    public int bins() {
        return counts.length;
    }

    /** The same histogram: same kind, same edges or values in the same order, same counts. */
    public boolean sameAs(Histogram o) {
        return kind == o.kind && Arrays.equals(edges, o.edges) && java.util.Objects.equals(categories, o.categories)
                && Arrays.equals(counts, o.counts);
    }

    /** The JSON form shared by POST /api/v1/distributions, references files and trainer reports (without the key fields). */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind.word());
        if (kind == Kind.NUMERIC) {
            out.put("bins", edges);
            out.put("counts", counts);
        } else {
            Map<String, Long> byValue = new LinkedHashMap<>();
            for (int i = 0; i < counts.length; i++) byValue.put(categories.get(i), counts[i]);
            out.put("counts", byValue);
        }
        return out;
    }
}
