package org.visutility.orchestrator.reference;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.collect.Histogram;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stores and reads a version's reference. Setting one, in the caller's transaction, supersedes
 * every current histogram of the version (the new set replaces the reference as a whole) and, when
 * the new set carries a calibration, the current calibration; the rows superseded are kept for
 * lineage. The version's row is locked first, so two settings of one version run one after the
 * other; the partial unique indexes refuse any that slips by.
 */
public final class ReferenceStore {
    /** A production window's bounds, for origin production_window. */
    public record Window(Instant start, Instant end) {
    }

    /** A current reference histogram with where it came from. */
    public record StoredHistogram(String feature, Histogram histogram, String origin, Optional<Window> window, String setBy, Instant setAt) {
    }

    /** A current calibration with where it came from. */
    public record StoredCalibration(Calibration calibration, double calibrationError, String origin, String setBy, Instant setAt) {
    }

    private ReferenceStore() {
    }

    /** A version's id, if the model has it. */
    public static Optional<Long> versionId(Handle h, String model, String version) {
        return h.createQuery(SqlFiles.load(ReferenceStore.class, "FindVersion")).bind("model", model).bind("version", version)
                .mapTo(Long.class).findOne();
    }

    /**
     * Replaces the version's reference, in the caller's transaction.
     *
     * @param window the production window summed (origin production_window), else null
     */
    public static void set(Handle tx, long versionId, References refs, ReferenceOrigin origin, Window window, String setBy) {
        if (refs.calibration().isPresent() && origin == ReferenceOrigin.PRODUCTION_WINDOW) {
            throw new IllegalArgumentException("a production window has no labels, so no calibration");
        }
        tx.createQuery(SqlFiles.load(ReferenceStore.class, "LockVersion")).bind("version", versionId).mapTo(Long.class).one();
        tx.createUpdate(SqlFiles.load(ReferenceStore.class, "SupersedeReferences")).bind("version", versionId).execute();
        // a reference holds tens of features at most: one statement each, in the set's transaction
        refs.features().forEach((feature, h) -> {
            var insert = tx.createUpdate(SqlFiles.load(ReferenceStore.class, "InsertReference"))
                    .bind("version", versionId).bind("feature", feature).bind("kind", h.kind().word())
                    .bindArray("counts", Long.class, (Object[]) boxed(h.counts()))
                    .bind("sampleCount", h.sampleCount()).bind("origin", origin.column()).bind("setBy", setBy);
            if (h.edges() == null) insert.bindNull("edges", Types.ARRAY);
            else insert.bindArray("edges", Double.class, (Object[]) boxed(h.edges()));
            if (h.categories() == null) insert.bindNull("categories", Types.ARRAY);
            else insert.bindArray("categories", String.class, h.categories().toArray());
            if (window == null) {
                insert.bindNull("windowStart", Types.TIMESTAMP_WITH_TIMEZONE).bindNull("windowEnd", Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                insert.bind("windowStart", SqlValues.utc(window.start())).bind("windowEnd", SqlValues.utc(window.end()));
            }
            insert.execute();
        });
        if (refs.calibration().isPresent()) {
            Calibration c = refs.calibration().get();
            tx.createUpdate(SqlFiles.load(ReferenceStore.class, "SupersedeCalibration")).bind("version", versionId).execute();
            tx.createUpdate(SqlFiles.load(ReferenceStore.class, "InsertCalibration"))
                    .bind("version", versionId)
                    .bindArray("edges", Double.class, (Object[]) boxed(c.edges()))
                    .bindArray("predictedMean", Double.class, (Object[]) boxed(c.predictedMean()))
                    .bindArray("observedRate", Double.class, (Object[]) boxed(c.observedRate()))
                    .bindArray("counts", Long.class, (Object[]) boxed(c.counts()))
                    .bind("threshold", c.threshold()).bind("positiveClass", c.positiveClass())
                    .bind("calibrationError", c.error()).bind("origin", origin.column()).bind("setBy", setBy)
                    .execute();
        }
    }

    public static List<StoredHistogram> currentHistograms(Handle h, long versionId) {
        return h.createQuery(SqlFiles.load(ReferenceStore.class, "CurrentReferences")).bind("version", versionId)
                .map((rs, ctx) -> {
                    Instant start = SqlValues.instant(rs, "window_start");
                    return new StoredHistogram(rs.getString("feature"), histogram(rs), rs.getString("origin"),
                            start == null ? Optional.empty() : Optional.of(new Window(start, SqlValues.instant(rs, "window_end"))),
                            rs.getString("set_by"), SqlValues.instant(rs, "set_at"));
                }).list();
    }

    public static Optional<StoredCalibration> currentCalibration(Handle h, long versionId) {
        return h.createQuery(SqlFiles.load(ReferenceStore.class, "CurrentCalibration")).bind("version", versionId)
                .map((rs, ctx) -> new StoredCalibration(new Calibration(doubles(rs, "edges"), doubles(rs, "predicted_mean"),
                        doubles(rs, "observed_rate"), longs(rs, "counts"), rs.getDouble("threshold"), rs.getString("positive_class")),
                        rs.getDouble("calibration_error"), rs.getString("origin"), rs.getString("set_by"), SqlValues.instant(rs, "set_at")))
                .findOne();
    }

    /** The current reference as a {@link References}, in the shape of a references file. */
    public static References current(Handle h, long versionId) {
        Map<String, Histogram> features = new LinkedHashMap<>();
        for (StoredHistogram s : currentHistograms(h, versionId)) features.put(s.feature(), s.histogram());
        return new References(features, currentCalibration(h, versionId).map(StoredCalibration::calibration));
    }

    /** A histogram row of distribution_snapshot or reference_distribution (columns kind, edges, categories, counts). */
    static Histogram histogram(ResultSet rs) throws SQLException {
        Histogram.Kind kind = Histogram.Kind.of(rs.getString("kind"));
        Array categories = rs.getArray("categories");
        return new Histogram(kind, rs.getArray("edges") == null ? null : doubles(rs, "edges"),
                categories == null ? null : List.of((String[]) categories.getArray()), longs(rs, "counts"));
    }

    private static double[] doubles(ResultSet rs, String column) throws SQLException {
        Object[] a = (Object[]) rs.getArray(column).getArray();
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = ((Number) a[i]).doubleValue();
        return out;
    }

    private static long[] longs(ResultSet rs, String column) throws SQLException {
        Object[] a = (Object[]) rs.getArray(column).getArray();
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) out[i] = ((Number) a[i]).longValue();
        return out;
    }

    private static Double[] boxed(double[] values) {
        return Arrays.stream(values).boxed().toArray(Double[]::new);
    }

    private static Long[] boxed(long[] values) {
        return Arrays.stream(values).boxed().toArray(Long[]::new);
    }
}
