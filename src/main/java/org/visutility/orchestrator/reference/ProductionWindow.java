package org.visutility.orchestrator.reference;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.collect.Histogram;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A reference from production: the version's histograms in a window (start exclusive, end
 * inclusive, as observed_at is each window's end), summed per feature. Numeric histograms of one
 * feature must share their edges (a sum over other bins would mean nothing); categorical ones are
 * summed per value.
 */
public final class ProductionWindow {
    private ProductionWindow() {
    }

    /**
     * @param segment only this segment's histograms, or null for every segment
     * @param source  only this source's histograms, or null for every source
     * @throws UsageException no histogram in the window, or a feature whose histograms cannot be summed
     */
    public static References sum(Handle h, long versionId, ReferenceStore.Window window, String segment, String source) {
        Map<String, List<Histogram>> byFeature = new TreeMap<>();
        h.createQuery(SqlFiles.load(ProductionWindow.class, "WindowHistograms"))
                .bind("version", versionId).bind("start", SqlValues.utc(window.start())).bind("end", SqlValues.utc(window.end()))
                .bind("segment", segment).bind("source", source)
                .map((rs, ctx) -> Map.entry(rs.getString("feature"), ReferenceStore.histogram(rs)))
                .forEach(e -> byFeature.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        if (byFeature.isEmpty()) {
            throw new UsageException("no production histograms of this version in " + window.start() + ".." + window.end()
                    + (segment == null ? "" : " for segment " + segment) + (source == null ? "" : " from source " + source)
                    + " (the window takes observed_at after START and up to END)");
        }
        Map<String, Histogram> features = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        byFeature.forEach((feature, list) -> {
            try {
                features.put(feature, sum(list));
            } catch (IllegalArgumentException e) {
                problems.add("feature " + feature + ": " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new UsageException("cannot sum the window's histograms: " + String.join("; ", problems)
                    + " (choose a window, a segment or a source whose histograms share their bins)");
        }
        return new References(features, Optional.empty());
    }

    /** The element-wise sum of one feature's histograms. */
    static Histogram sum(List<Histogram> list) {
        Histogram first = list.get(0);
        for (Histogram h : list) {
            if (h.kind() != first.kind()) throw new IllegalArgumentException("it is numeric in some histograms and categorical in others");
        }
        if (first.kind() == Histogram.Kind.NUMERIC) {
            long[] total = new long[first.counts().length];
            for (Histogram h : list) {
                if (!Arrays.equals(h.edges(), first.edges())) {
                    throw new IllegalArgumentException("its histograms have different bin edges (" + Arrays.toString(first.edges())
                            + " and " + Arrays.toString(h.edges()) + ")");
                }
                for (int i = 0; i < total.length; i++) total[i] += h.counts()[i];
            }
            return new Histogram(Histogram.Kind.NUMERIC, first.edges(), null, total);
        }
        Map<String, Long> byValue = new LinkedHashMap<>();
        for (Histogram h : list) {
            for (int i = 0; i < h.counts().length; i++) byValue.merge(h.categories().get(i), h.counts()[i], Long::sum);
        }
        return new Histogram(Histogram.Kind.CATEGORICAL, null, List.copyOf(byValue.keySet()),
                byValue.values().stream().mapToLong(Long::longValue).toArray());
    }
}
