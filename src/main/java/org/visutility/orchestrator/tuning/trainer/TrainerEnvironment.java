package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.tuning.Violations;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment a trainer program runs with, and nothing more: a short allow-list of the node's
 * variables (where programs are, the user, the locale, the time zone, the temporary folder), the
 * spec's {@code trainer.env}, and the protocol's {@code ORCH_*} variables. The node's own
 * settings ({@code ORCHESTRATOR_DB_PASSWORD}, {@code ORCHESTRATOR_INGEST_TOKENS}, ...) and
 * whatever else its environment holds never reach a trainer.
 */
public final class TrainerEnvironment {
    /** The node's variables a trainer inherits, besides every {@code LC_*}. */
    public static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG", "TZ", "TMPDIR");
    public static final String INHERITED_PREFIX = "LC_";
    /** trainer.env: at most this many variables, each value at most this long, all values together at most this long. */
    public static final int MAX_VARIABLES = 64;
    public static final int MAX_VALUE_CHARS = 4096;
    public static final int MAX_TOTAL_CHARS = 32_768;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final String PROTOCOL_PREFIX = "ORCH_";
    private static final String NODE_PREFIX = "ORCHESTRATOR_";

    private TrainerEnvironment() {
    }

    /** The environment of one trainer process: the allow-listed part of {@code node}, then {@code spec}, then {@code protocol}. */
    static Map<String, String> of(Map<String, String> node, Map<String, String> spec, Map<String, String> protocol) {
        Map<String, String> env = new LinkedHashMap<>();
        node.forEach((name, value) -> {
            if (INHERITED.contains(name) || name.startsWith(INHERITED_PREFIX)) env.put(name, value);
        });
        env.putAll(spec);
        env.putAll(protocol);
        return env;
    }

    /** Checks {@code trainer.env}: a mapping of variable names to strings, within the limits, with no ORCH_ or ORCHESTRATOR_ name. */
    static void validate(JsonNode env, Violations v) {
        if (env == null || env.isNull()) return;
        if (!env.isObject()) {
            v.add("trainer.env", "must be a mapping of variable names to values");
            return;
        }
        if (env.size() > MAX_VARIABLES) v.add("trainer.env", "must have at most " + MAX_VARIABLES + " variables (has " + env.size() + ")");
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (!NAME.matcher(name).matches()) {
                v.add("trainer.env", "a variable name must be 1-128 letters, digits and _, not starting with a digit (a name breaks this rule)");
                continue;
            }
            String field = "trainer.env." + name;
            if (name.startsWith(NODE_PREFIX)) v.add(field, "ORCHESTRATOR_ variables are the node's own settings and never reach a trainer");
            else if (name.startsWith(PROTOCOL_PREFIX)) v.add(field, "ORCH_ variables are set by the orchestrator");
            JsonNode value = e.getValue();
            if (!value.isValueNode() || value.isNull()) {
                v.add(field, "must be a string");
                continue;
            }
            int length = value.asText().length();
            total += length;
            if (length > MAX_VALUE_CHARS) v.add(field, "must be at most " + MAX_VALUE_CHARS + " characters (is " + length + ")");
        }
        if (total > MAX_TOTAL_CHARS) v.add("trainer.env", "its values must be at most " + MAX_TOTAL_CHARS + " characters together (are " + total + ")");
    }
}
