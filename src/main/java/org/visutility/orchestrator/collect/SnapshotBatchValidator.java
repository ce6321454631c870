package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.config.Setting;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one validation every path (HTTP, file, SQL collector) applies to snapshots. Each broken rule
 * becomes a {@link Violation} naming the item, the field and the rule; an item with any violation
 * yields no snapshot.
 */
public final class SnapshotBatchValidator {
    public static final int MAX_NAME_LENGTH = 250;
    public static final String NAME_RULE = "must be 1-" + MAX_NAME_LENGTH + " characters of [A-Za-z0-9_.:/-]";
    /** How far ahead of this server's clock observed_at may be (clients' clocks drift a little). */
    public static final Duration MAX_FUTURE = Duration.ofMinutes(10);
    /** Nothing is observed before the Unix epoch, whatever the age setting allows. */
    public static final Instant EARLIEST_OBSERVED_AT = Instant.EPOCH;
    public static final int MAX_SNAPSHOTS_PER_BATCH = 1000;
    public static final int MAX_METRICS_PER_SNAPSHOT = 100;
    /** The largest request body POST /api/v1/snapshots reads: 1 MiB. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Metrics that are fractions and must lie within [0, 1]; a setting adds more. */
    public static final Set<String> BOUNDED_METRICS = Set.of("accuracy", "precision", "recall", "f1", "auc");
    public static final List<String> FIELDS = List.of("model", "version", "observed_at", "sample_count", "segment", "source", "metrics", "final");
    /** The field (and CSV or query column) saying whether a snapshot's window is final. */
    public static final String FINAL_FIELD = "final";

    private static final String OBSERVED_AT_FORMAT = "an ISO-8601 timestamp with an offset, e.g. 2026-11-26T10:00:00Z";
    private static final int SHOWN_CHARS = 60;

    private final Set<String> bounded;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * @param maxAge how long ago a snapshot may have been observed: each month of history is a
     *               partition, so a bound on age is a bound on the partitions ingest can create
     */
    public SnapshotBatchValidator(Set<String> extraBoundedMetrics, Duration maxAge, Clock clock) {
        Set<String> all = new HashSet<>(BOUNDED_METRICS);
        all.addAll(extraBoundedMetrics);
        this.bounded = Set.copyOf(all);
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public SnapshotBatchValidator(Set<String> extraBoundedMetrics, Duration maxAge) {
        this(extraBoundedMetrics, maxAge, Clock.systemUTC());
    }

    /** The earliest observed_at accepted now. */
    public Instant earliest() {
        Instant byAge = clock.instant().minus(maxAge).truncatedTo(ChronoUnit.SECONDS);
        return byAge.isBefore(EARLIEST_OBSERVED_AT) ? EARLIEST_OBSERVED_AT : byAge;
    }

    /** The batch-size rule of one HTTP request. */
    public void checkBatchSize(int count, List<Violation> out) {
        if (count < 1 || count > MAX_SNAPSHOTS_PER_BATCH) {
            out.add(Violation.ofInput("snapshots", "must hold 1-" + MAX_SNAPSHOTS_PER_BATCH + " snapshots per batch, got " + count));
        }
    }

    /**
     * Validates one item; adds its violations to {@code out}.
     *
     * @return the snapshot, or null when the item broke a rule
     */
    public Snapshot validate(int position, RawSnapshot raw, List<Violation> out) {
        int before = out.size();
        for (String field : raw.unknownFields()) {
            out.add(new Violation(position, printable(field), "is not a snapshot field; the fields are " + String.join(", ", FIELDS)));
        }
        String model = name(position, "model", raw.model(), true, out);
        String version = name(position, "version", raw.version(), true, out);
        String segment = name(position, "segment", raw.segment(), false, out);
        String source = name(position, "source", raw.source(), false, out);
        Instant observedAt = observedAt(position, raw.observedAt(), out);
        long sampleCount = sampleCount(position, raw.sampleCount(), out);
        Map<String, Double> metrics = metrics(position, raw.metrics(), out);
        Finality finality = finality(position, raw.finalFlag(), out);
        if (out.size() > before) return null;
        return new Snapshot(model, version, observedAt, sampleCount, segment, source, metrics, finality);
    }

    private static Finality finality(int position, Object v, List<Violation> out) {
        if (v == null || "".equals(v)) return Finality.UNSAID;
        if (v instanceof Boolean b) return b ? Finality.FINAL : Finality.PROVISIONAL;
        if (v instanceof String s) {
            if (s.equals("true")) return Finality.FINAL;
            if (s.equals("false")) return Finality.PROVISIONAL;
        }
        out.add(new Violation(position, FINAL_FIELD, "must be true (the window is final) or false (provisional), or absent"
                + " (the source's default), got " + describe(v)));
        return null;
    }

    static String name(int position, String field, Object v, boolean required, List<Violation> out) {
        if (v == null || (!required && "".equals(v))) {
            if (required) out.add(new Violation(position, field, "is required"));
            return "";
        }
        if (!(v instanceof String s)) {
            out.add(new Violation(position, field, "must be a string, got " + describe(v)));
            return null;
        }
        if (!isName(s)) out.add(new Violation(position, field, NAME_RULE + ", got " + shown(s)));
        return s;
    }

    /** The name rule, checked by hand: it runs for every name of every row of large imports. */
    public static boolean isName(String s) {
        int n = s.length();
        if (n < 1 || n > MAX_NAME_LENGTH) return false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    Instant observedAt(int position, Object v, List<Violation> out) {
        Instant at;
        if (v == null) {
            out.add(new Violation(position, "observed_at", "is required"));
            return null;
        } else if (v instanceof Instant i) {
            at = i;
        } else if (v instanceof OffsetDateTime odt) {
            at = odt.toInstant();
        } else if (v instanceof LocalDateTime) {
            out.add(new Violation(position, "observed_at", "has no offset (a timestamp without time zone is ambiguous);"
                    + " return a timestamp with time zone (timestamptz)"));
            return null;
        } else if (v instanceof String s) {
            try {
                at = UtcInstantText.parse(s);
            } catch (DateTimeParseException e) {
                out.add(new Violation(position, "observed_at", "must be " + OBSERVED_AT_FORMAT + ", got " + shown(s)
                        + (hasNoOffset(s) ? " (it has no offset)" : "")));
                return null;
            }
        } else {
            out.add(new Violation(position, "observed_at", "must be " + OBSERVED_AT_FORMAT + ", got " + describe(v)));
            return null;
        }
        Instant earliest = earliest();
        if (at.isBefore(earliest)) {
            String rule = earliest.equals(EARLIEST_OBSERVED_AT) ? "" : " (at most " + Durations.format(maxAge) + " old: "
                    + Setting.INGEST_MAX_AGE.env() + ")";
            out.add(new Violation(position, "observed_at", "must not be before " + earliest + rule + ", got " + at));
            return null;
        }
        Instant latest = clock.instant().plus(MAX_FUTURE);
        if (at.isAfter(latest)) {
            out.add(new Violation(position, "observed_at", "must be at most " + MAX_FUTURE.toMinutes()
                    + " minutes in the future (server time " + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "), got " + at));
            return null;
        }
        // PostgreSQL keeps microseconds; cutting here keeps the natural key identical on both sides
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    private static boolean hasNoOffset(String s) {
        try {
            LocalDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static long sampleCount(int position, Object v, List<Violation> out) {
        if (v == null) {
            out.add(new Violation(position, "sample_count", "is required"));
            return -1;
        }
        Long n = wholeNumber(v);
        if (n == null) {
            out.add(new Violation(position, "sample_count", "must be a whole number, got " + describe(v)));
            return -1;
        }
        if (n < 0) {
            out.add(new Violation(position, "sample_count", "must be >= 0, got " + n));
        }
        return n;
    }

    static Long wholeNumber(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        try {
            if (v instanceof BigInteger b) return b.longValueExact();
            if (v instanceof BigDecimal d) return d.longValueExact();
            if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                return Double.isFinite(d) && d == Math.rint(d) ? new BigDecimal(d).longValueExact() : null;
            }
        } catch (ArithmeticException e) {
            return null;
        }
        return null;
    }

    private Map<String, Double> metrics(int position, Object v, List<Violation> out) {
        if (v == null) {
            out.add(new Violation(position, "metrics", "is required"));
            return null;
        }
        if (!(v instanceof Map<?, ?> raw)) {
            out.add(new Violation(position, "metrics", "must be an object of metric names to numbers, got " + describe(v)));
            return null;
        }
        if (raw.isEmpty()) {
            out.add(new Violation(position, "metrics", "must hold at least 1 metric"));
            return null;
        }
        if (raw.size() > MAX_METRICS_PER_SNAPSHOT) {
            out.add(new Violation(position, "metrics", "must hold at most " + MAX_METRICS_PER_SNAPSHOT + " metrics, got " + raw.size()));
            return null;
        }
        Map<String, Double> metrics = new LinkedHashMap<>(raw.size() * 2);
        boolean ok = true;
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!isName(name)) {
                out.add(new Violation(position, "metrics", "metric name " + shown(name) + " " + NAME_RULE));
                ok = false;
                continue;
            }
            String field = "metrics." + name;
            Object value = e.getValue();
            if (!(value instanceof Number number)) {
                out.add(new Violation(position, field, "must be a number, got " + describe(value)));
                ok = false;
                continue;
            }
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                out.add(new Violation(position, field, "must be finite, got " + d));
                ok = false;
            } else if (bounded.contains(name) && (d < 0 || d > 1)) {
                out.add(new Violation(position, field, "must be within [0, 1] (" + name + " is a bounded metric), got " + d));
                ok = false;
            } else {
                metrics.put(name, d);
            }
        }
        return ok ? metrics : null;
    }

    /** A raw value in an error message: strings quoted and cut short, other types by their kind. */
    static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return shown(s);
        if (v instanceof Number n) return "the number " + n;
        if (v instanceof JsonNode node) return "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        if (v instanceof Boolean b) return "the boolean " + b;
        return "a value of type " + v.getClass().getSimpleName();
    }

    static String shown(String s) {
        String cut = s.length() > SHOWN_CHARS ? s.substring(0, SHOWN_CHARS) + "..." : s;
        return "\"" + printable(cut) + "\"";
    }

    /**
     * Control characters written as a backslash, u and four hex digits: messages echo what was
     * sent, and end up in terminals, logs and text columns (a SQL collector's last_error), where
     * PostgreSQL refuses NUL.
     */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029;
            if (control && b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
            if (control) b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            else if (b != null) b.append(c);
        }
        return b == null ? s : b.toString();
    }
}
