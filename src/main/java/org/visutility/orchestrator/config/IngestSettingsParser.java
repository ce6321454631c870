package org.visutility.orchestrator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the collection settings: the unknown-model switch, extra bounded metrics, the SQL
 * collectors, and the bounds on observed_at and on the partitions one batch may create.
 */
final class IngestSettingsParser {
    /** Collector and metric names follow the snapshot name rule (a collector's name becomes its snapshots' source). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,250}");
    private static final String ON_INVALID_ROW = "on_invalid_row";
    private static final String RETURNS = "returns";
    private static final Set<String> COLLECTOR_KEYS = Set.of("name", "url", "user", "password", "query", "cron",
            "on_changed_value", "settle", "max_revision_age", ON_INVALID_ROW, RETURNS);
    private static final String KNOWN_KEYS = "name, url, user, password, query, cron, on_changed_value, settle, max_revision_age, "
            + ON_INVALID_ROW + ", " + RETURNS;
    private static final Pattern SINCE_BIND = Pattern.compile("(?<!:):since\\b");

    /** A day at least (clocks and late reports); a century at most (1970 is the floor anyway). */
    static final Duration MIN_MAX_AGE = Duration.ofDays(1);
    static final Duration MAX_MAX_AGE = Duration.ofDays(36500);
    /** A settle time: a minute at least (a window is not final before it ends), a year at most. */
    static final Duration MIN_SETTLE = Duration.ofMinutes(1);
    static final Duration MAX_SETTLE = Duration.ofDays(366);
    /** How late a revision may come: a minute at least, the longest ingest_max_age at most. */
    static final Duration MIN_MAX_REVISION_AGE = Duration.ofMinutes(1);
    static final Duration MAX_MAX_REVISION_AGE = MAX_MAX_AGE;
    /** Ten years of months: beyond it one batch's partitions alone strain PostgreSQL's shared lock table. */
    static final int MAX_NEW_PARTITIONS = 120;
    /** Failed runs in a row before /health says degraded: past a thousand the signal is useless. */
    static final int MAX_DEGRADED_AFTER = 1000;

    private IngestSettingsParser() {
    }

    static IngestSettings parse(String registerUnknown, String boundedMetrics, String collectors, String maxAge, String maxNewPartitions,
                                String collectorDegradedAfter, String maxHistogramBins) {
        return new IngestSettings(bool(Setting.INGEST_REGISTER_UNKNOWN, registerUnknown), metricNames(boundedMetrics),
                collectors(collectors), maxAge(maxAge), maxNewPartitions(maxNewPartitions),
                collectorDegradedAfter(collectorDegradedAfter), maxHistogramBins(maxHistogramBins));
    }

    private static int maxHistogramBins(String v) {
        String env = Setting.MAX_HISTOGRAM_BINS.env();
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= IngestSettings.HISTOGRAM_BINS_CEILING) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigException.of(env, "'" + shown(v) + "' is not a whole number from 1 to " + IngestSettings.HISTOGRAM_BINS_CEILING);
    }

    private static int collectorDegradedAfter(String v) {
        String env = Setting.COLLECTOR_DEGRADED_AFTER.env();
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= MAX_DEGRADED_AFTER) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigException.of(env, "'" + shown(v) + "' is not a whole number from 1 to " + MAX_DEGRADED_AFTER);
    }

    private static Duration maxAge(String v) {
        String env = Setting.INGEST_MAX_AGE.env();
        Duration d;
        try {
            d = Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(env, e.getMessage());
        }
        if (d.compareTo(MIN_MAX_AGE) < 0 || d.compareTo(MAX_MAX_AGE) > 0) {
            throw ConfigException.of(env, "'" + v + "' is out of range " + Durations.format(MIN_MAX_AGE) + "-" + Durations.format(MAX_MAX_AGE));
        }
        return d;
    }

    private static int maxNewPartitions(String v) {
        String env = Setting.INGEST_MAX_NEW_PARTITIONS.env();
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= MAX_NEW_PARTITIONS) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigException.of(env, "'" + v + "' is not a whole number from 1 to " + MAX_NEW_PARTITIONS);
    }

    private static boolean bool(Setting s, String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw ConfigException.of(s.env(), "'" + v + "' is not a boolean; write true or false");
        };
    }

    private static Set<String> metricNames(String v) {
        Set<String> names = new LinkedHashSet<>();
        if (v == null) return names;
        for (String name : v.split(",")) {
            String n = name.trim();
            if (n.isEmpty()) continue;
            if (!NAME.matcher(n).matches()) {
                throw ConfigException.of(Setting.INGEST_BOUNDED_METRICS.env(), "'" + n + "' is not a metric name (1-250 characters of [A-Za-z0-9_.:/-])");
            }
            names.add(n);
        }
        return names;
    }

    /** The collectors list: YAML from the file, or JSON (a YAML subset) from the environment. */
    private static List<SqlCollectorSetting> collectors(String text) {
        List<SqlCollectorSetting> out = new ArrayList<>();
        if (text == null || text.isBlank()) return out;
        String where = Setting.COLLECTORS.env() + " (collectors:)";
        JsonNode list;
        try {
            list = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ConfigException.of(where, "not a list of collectors (" + e.getOriginalMessage() + ")");
        }
        if (list == null || list.isNull() || list.isMissingNode()) return out;
        if (!list.isArray()) throw ConfigException.of(where, "must be a list of collectors");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            SqlCollectorSetting c = collector(where + " item " + (i + 1), list.get(i));
            if (!names.add(c.name())) throw ConfigException.of(where, "collector name '" + c.name() + "' is used twice");
            out.add(c);
        }
        return out;
    }

    private static SqlCollectorSetting collector(String where, JsonNode node) {
        if (!node.isObject()) throw ConfigException.of(where, "must be a mapping with name, url, user, password, query and cron (and optionally on_changed_value, settle, max_revision_age)");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!COLLECTOR_KEYS.contains(key)) {
                throw ConfigException.of(where, "unknown key '" + key + "'; known keys are " + KNOWN_KEYS);
            }
        }
        String name = required(where, node, "name");
        if (!NAME.matcher(name).matches()) {
            throw ConfigException.of(where, "name '" + name + "' must be 1-250 characters of [A-Za-z0-9_.:/-]");
        }
        String at = where + " (" + name + ")";
        String url = required(at, node, "url");
        if (!url.startsWith("jdbc:")) throw ConfigException.of(at, "url must be a JDBC URL (jdbc:...)");
        String query = required(at, node, "query");
        if (!SINCE_BIND.matcher(query).find()) {
            throw ConfigException.of(at, "query must use the :since bind (the watermark of the last committed pull)");
        }
        String cron = required(at, node, "cron");
        try {
            CronExpression.validateExpression(cron);
        } catch (ParseException e) {
            throw ConfigException.of(at, "cron '" + cron + "' is not a Quartz cron expression (" + e.getMessage()
                    + "); e.g. '0 */5 * * * ?' runs every five minutes");
        }
        OnChangedValue onChanged = SqlCollectorSetting.DEFAULT_ON_CHANGED_VALUE;
        Optional<String> onChangedText = optional(node, "on_changed_value");
        if (onChangedText.isPresent()) {
            onChanged = OnChangedValue.of(onChangedText.get());
            if (onChanged == null) {
                throw ConfigException.of(at, "on_changed_value must be revise or reject, got '" + onChangedText.get() + "'");
            }
        }
        Optional<Duration> settle = duration(at, node, "settle", MIN_SETTLE, MAX_SETTLE);
        Optional<Duration> maxRevisionAge = duration(at, node, "max_revision_age", MIN_MAX_REVISION_AGE, MAX_MAX_REVISION_AGE);
        if (maxRevisionAge.isPresent() && onChanged == OnChangedValue.REJECT) {
            throw ConfigException.of(at, "max_revision_age applies only with on_changed_value: revise (a reject collector never revises)");
        }
        CollectedItems returns = returns(at, node);
        if (returns == CollectedItems.DISTRIBUTIONS && (settle.isPresent() || maxRevisionAge.isPresent())) {
            throw ConfigException.of(at, "settle and max_revision_age apply to snapshots only: histograms are never revised"
                    + " (returns: distributions)");
        }
        return new SqlCollectorSetting(name, url, optional(node, "user"), optional(node, "password"), query, cron,
                onChanged, settle, maxRevisionAge, onInvalidRow(at, node), returns);
    }

    private static CollectedItems returns(String where, JsonNode node) {
        JsonNode v = node.get(RETURNS);
        if (v == null || v.isNull()) return CollectedItems.SNAPSHOTS;
        return CollectedItems.byKey(v.isTextual() ? v.asText().trim() : "")
                .orElseThrow(() -> ConfigException.of(where, RETURNS + " '" + shown(v.asText()) + "' must be snapshots (the default:"
                        + " rows of metric snapshots) or distributions (rows of histograms: model, version, observed_at, segment,"
                        + " feature, kind, edges or categories, counts)"));
    }

    private static InvalidRowPolicy onInvalidRow(String where, JsonNode node) {
        JsonNode v = node.get(ON_INVALID_ROW);
        if (v == null || v.isNull()) return InvalidRowPolicy.REJECT_RUN;
        return InvalidRowPolicy.byKey(v.isTextual() ? v.asText().trim() : "")
                .orElseThrow(() -> ConfigException.of(where, ON_INVALID_ROW + " '" + shown(v.asText()) + "' must be reject_run (the default:"
                        + " an invalid row fails the run, nothing is written) or skip_row (it is left out and recorded in"
                        + " orchestrator.collector_rejects)"));
    }

    private static String shown(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }

    /** An optional duration key of a collector, within [min, max]. */
    private static Optional<Duration> duration(String where, JsonNode node, String key, Duration min, Duration max) {
        Optional<String> text = optional(node, key);
        if (text.isEmpty()) return Optional.empty();
        Duration d;
        try {
            d = Durations.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(where, key + ": " + e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw ConfigException.of(where, key + " '" + text.get() + "' is out of range " + Durations.format(min) + "-" + Durations.format(max));
        }
        return Optional.of(d);
    }

    private static String required(String where, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            throw ConfigException.of(where, key + " is required");
        }
        return v.asText().trim();
    }

    private static Optional<String> optional(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
