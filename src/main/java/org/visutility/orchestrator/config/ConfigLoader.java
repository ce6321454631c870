package org.visutility.orchestrator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds the configuration: defaults, then the YAML file ({@code --config FILE}), then the
 * environment ({@code ORCHESTRATOR_*}); later sources win. Every value is validated here, so a
 * bad one stops the start with one line that names the setting and the rule.
 */
public final class ConfigLoader {
    private static final Pattern JDBC_POSTGRES_URL = Pattern.compile("jdbc:postgresql://[^/?#\\s]+(:\\d{1,5})?/[^?#\\s]+(\\?\\S*)?");
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{16,512}");
    private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    private static final int MAX_NAMESPACE = 250;
    private static final Duration MIN_TRIAL_FOLDER_RETENTION = Duration.ofHours(1);
    private static final Duration MAX_TRIAL_FOLDER_RETENTION = Duration.ofDays(3650);

    private ConfigLoader() {
    }

    public static OrchestratorConfig load(Path configFile, Map<String, String> environment) {
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            if (s.defaultValue() != null) raw.put(s, s.defaultValue());
        }
        if (configFile != null) {
            raw.putAll(readYaml(configFile));
        }
        for (Setting s : Setting.values()) {
            String v = environment.get(s.env());
            if (v != null && !v.isBlank()) raw.put(s, v.trim());
        }
        return validate(raw);
    }

    private static Map<Setting, String> readYaml(Path file) {
        String where = "--config " + file;
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException("invalid setting " + where + ": the file does not exist or cannot be read");
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("invalid setting " + where + ": not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        if (root == null || root.isMissingNode() || root.isNull()) return values;
        if (!root.isObject()) {
            throw new ConfigException("invalid setting " + where + ": the file must be a mapping of setting names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Setting s = Setting.byKey(e.getKey());
            if (s == null) {
                throw new ConfigException("invalid setting " + e.getKey() + " in " + file + ": unknown key; known keys are "
                        + String.join(", ", Arrays.stream(Setting.values()).map(Setting::key).toList()));
            }
            JsonNode v = e.getValue();
            if (s == Setting.COLLECTORS || (s == Setting.PROMOTION_COMMAND && v.isArray())) { // kept as JSON: a list of mappings, a command line
                if (!v.isNull()) values.put(s, v.toString());
                continue;
            }
            if (v.isArray()) {
                StringBuilder joined = new StringBuilder();
                v.forEach(item -> joined.append(joined.length() == 0 ? "" : ",").append(item.asText()));
                values.put(s, joined.toString());
            } else if (v.isValueNode() && !v.isNull()) {
                values.put(s, v.asText());
            } else if (!v.isNull()) {
                throw new ConfigException("invalid setting " + s.key() + " in " + file + ": must be a single value");
            }
        }
        return values;
    }

    private static OrchestratorConfig validate(Map<Setting, String> raw) {
        Optional<String> url = Optional.ofNullable(raw.get(Setting.DB_URL));
        url.ifPresent(u -> {
            if (!JDBC_POSTGRES_URL.matcher(u).matches()) {
                throw ConfigException.of(Setting.DB_URL.env(), "'" + u + "' is not a PostgreSQL JDBC URL; expected jdbc:postgresql://host:port/database");
            }
            int colon = u.indexOf(':', "jdbc:postgresql://".length());
            int slash = u.indexOf('/', "jdbc:postgresql://".length());
            if (colon > 0 && colon < slash) {
                int port = Integer.parseInt(u.substring(colon + 1, slash));
                if (port < 1 || port > 65535) {
                    throw ConfigException.of(Setting.DB_URL.env(), "port " + port + " is out of range 1-65535");
                }
            }
        });
        return new OrchestratorConfig(
                url,
                Optional.ofNullable(raw.get(Setting.DB_USER)),
                Optional.ofNullable(raw.get(Setting.DB_PASSWORD)),
                intIn(raw, Setting.DB_POOL_SIZE, 1, 200),
                Path.of(raw.get(Setting.HOME)).toAbsolutePath().normalize(),
                nonBlank(raw, Setting.HTTP_HOST),
                intIn(raw, Setting.HTTP_PORT, 0, 65535),
                ApiTokensParser.parse(raw),
                duration(raw, Setting.POLICY_INTERVAL, MIN_INTERVAL),
                duration(raw, Setting.HEARTBEAT_INTERVAL, MIN_INTERVAL),
                duration(raw, Setting.RESCUE_AFTER, MIN_INTERVAL),
                intIn(raw, Setting.SCHEDULER_THREADS, 1, 64),
                duration(raw, Setting.CLUSTER_CHECKIN_INTERVAL, MIN_INTERVAL),
                IngestSettingsParser.parse(raw.get(Setting.INGEST_REGISTER_UNKNOWN), raw.get(Setting.INGEST_BOUNDED_METRICS),
                        raw.get(Setting.COLLECTORS), raw.get(Setting.INGEST_MAX_AGE), raw.get(Setting.INGEST_MAX_NEW_PARTITIONS),
                        raw.get(Setting.COLLECTOR_DEGRADED_AFTER), raw.get(Setting.MAX_HISTOGRAM_BINS)),
                httpUrl(raw, Setting.POLICY_WEBHOOK_URL),
                intIn(raw, Setting.MAX_RUNNING_EXPERIMENTS, 1, 1000),
                intIn(raw, Setting.MAX_PARALLEL_TRIALS, 1, 256),
                duration(raw, Setting.DISPATCH_INTERVAL, MIN_INTERVAL),
                openLineage(raw),
                duration(raw, Setting.RESCUE_INTERVAL, MIN_INTERVAL),
                RescueAction.parse(Setting.RESCUE_ACTION, raw.get(Setting.RESCUE_ACTION)),
                intIn(raw, Setting.RESCUE_MAX_ATTEMPTS, 1, 100),
                Optional.ofNullable(raw.get(Setting.POLICY_SQL_PASSWORD)),
                promotion(raw),
                httpUrl(raw, Setting.SERVER),
                Optional.ofNullable(raw.get(Setting.TOKEN)),
                durationIn(raw, Setting.TRIAL_FOLDER_RETENTION, MIN_TRIAL_FOLDER_RETENTION, MAX_TRIAL_FOLDER_RETENTION),
                raw.get(Setting.TRIALS_PER_NODE) == null ? Math.min(256, Runtime.getRuntime().availableProcessors())
                        : intIn(raw, Setting.TRIALS_PER_NODE, 0, 256),
                raw.get(Setting.EMBEDDED_SHARED_BUFFERS_MB) == null ? EmbeddedSharedBuffers.defaultForThisMachine()
                        : intIn(raw, Setting.EMBEDDED_SHARED_BUFFERS_MB, EmbeddedSharedBuffers.MIN_MB, EmbeddedSharedBuffers.MAX_SETTING_MB));
    }

    private static OpenLineageSettings openLineage(Map<Setting, String> raw) {
        String namespace = nonBlank(raw, Setting.OPENLINEAGE_NAMESPACE);
        if (namespace.length() > MAX_NAMESPACE) {
            throw ConfigException.of(Setting.OPENLINEAGE_NAMESPACE.env(), "must be at most " + MAX_NAMESPACE + " characters");
        }
        Optional<String> apiKey = Optional.ofNullable(raw.get(Setting.OPENLINEAGE_API_KEY)).map(String::trim).filter(k -> !k.isEmpty());
        if (apiKey.isPresent() && !ApiTokensParser.TOKEN.matcher(apiKey.get()).matches()) {
            throw ConfigException.of(Setting.OPENLINEAGE_API_KEY.env(), "must be 16-512 characters of [A-Za-z0-9._~+/=-]");
        }
        return new OpenLineageSettings(httpUrl(raw, Setting.OPENLINEAGE_URL),
                Optional.ofNullable(raw.get(Setting.OPENLINEAGE_FILE)).map(String::trim).filter(f -> !f.isEmpty())
                        .map(f -> Path.of(f).toAbsolutePath().normalize()),
                namespace, duration(raw, Setting.OPENLINEAGE_TIMEOUT, MIN_INTERVAL), apiKey);
    }

    private static PromotionSettings promotion(Map<Setting, String> raw) {
        Optional<URI> url = httpUrl(raw, Setting.PROMOTION_WEBHOOK_URL);
        Optional<String> secret = Optional.ofNullable(raw.get(Setting.PROMOTION_WEBHOOK_SECRET)).map(String::trim).filter(k -> !k.isEmpty());
        if (secret.isPresent()) {
            if (!SECRET.matcher(secret.get()).matches()) {
                throw ConfigException.of(Setting.PROMOTION_WEBHOOK_SECRET.env(), "must be 16-512 characters without spaces or control characters");
            }
            if (url.isEmpty()) {
                throw ConfigException.of(Setting.PROMOTION_WEBHOOK_SECRET.env(), "is set but " + Setting.PROMOTION_WEBHOOK_URL.env()
                        + " is not: the secret signs the webhook's bodies");
            }
        }
        return new PromotionSettings(url, secret, command(raw, Setting.PROMOTION_COMMAND),
                duration(raw, Setting.PROMOTION_TIMEOUT, MIN_INTERVAL));
    }

    /**
     * A command line: a JSON array of strings (a YAML list in the file arrives so), or words split on
     * whitespace (no shell: quote nothing, point at a script for anything harder). A program given as
     * a relative path is taken from the working directory of the start.
     */
    private static List<String> command(Map<Setting, String> raw, Setting s) {
        String v = raw.get(s);
        if (v == null || v.isBlank()) return List.of();
        List<String> argv = new java.util.ArrayList<>();
        String text = v.trim();
        if (text.startsWith("[")) {
            try {
                JsonNode array = new ObjectMapper().readTree(text);
                for (JsonNode part : array) {
                    if (!part.isTextual() || part.asText().isEmpty()) throw ConfigException.of(s.env(), "each element must be a non-empty string");
                    argv.add(part.asText());
                }
            } catch (IOException e) {
                throw ConfigException.of(s.env(), "'" + text + "' is not a JSON array of strings");
            }
        } else {
            argv.addAll(Arrays.asList(text.split("\\s+")));
        }
        if (argv.isEmpty()) throw ConfigException.of(s.env(), "must name a program");
        for (String part : argv) {
            if (part.chars().anyMatch(c -> c < 0x20)) throw ConfigException.of(s.env(), "must not contain control characters");
        }
        String program = argv.get(0);
        if (program.contains("/") && !Path.of(program).isAbsolute()) argv.set(0, Path.of(program).toAbsolutePath().normalize().toString());
        return List.copyOf(argv);
    }

    private static int intIn(Map<Setting, String> raw, Setting s, int min, int max) {
        String v = raw.get(s);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) throw ConfigException.of(s.env(), n + " is out of range " + min + "-" + max);
            return n;
        } catch (NumberFormatException e) {
            throw ConfigException.of(s.env(), "'" + v + "' is not a whole number (" + min + "-" + max + ")");
        }
    }

    private static Duration duration(Map<Setting, String> raw, Setting s, Duration min) {
        try {
            Duration d = Durations.parse(raw.get(s));
            if (d.compareTo(min) < 0) throw ConfigException.of(s.env(), "must be at least " + Durations.format(min));
            return d;
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(s.env(), e.getMessage());
        }
    }

    private static Duration durationIn(Map<Setting, String> raw, Setting s, Duration min, Duration max) {
        Duration d = duration(raw, s, min);
        if (d.compareTo(max) > 0) throw ConfigException.of(s.env(), "must be at most " + Durations.format(max));
        return d;
    }

    private static Optional<URI> httpUrl(Map<Setting, String> raw, Setting s) {
        String v = raw.get(s);
        if (v == null || v.isBlank()) return Optional.empty();
        try {
            URI uri = new URI(v.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return Optional.of(uri);
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ConfigException.of(s.env(), "'" + v + "' is not an http or https URL");
    }

    private static String nonBlank(Map<Setting, String> raw, Setting s) {
        String v = raw.get(s);
        if (v == null || v.isBlank()) throw ConfigException.of(s.env(), "must not be empty");
        return v.trim();
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
