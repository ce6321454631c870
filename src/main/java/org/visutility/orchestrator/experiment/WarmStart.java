package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Violations;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code strategy.warm_start}: which earlier experiments of the same model seed the strategy with their
 * completed trials — the model's earlier rounds, most recent first ({@code from: previous_rounds}), or
 * the experiments named by hand ({@code from: experiment, ids: [12, 15]}) — and at most how many trials.
 */
public record WarmStart(Source from, int maxTrials, List<Long> ids) {
    public static final String KEY = "warm_start";
    public static final int DEFAULT_MAX_TRIALS = 200;
    public static final int MAX_TRIALS = 10_000;
    public static final int MAX_IDS = 100;
    private static final String PATH = "strategy." + KEY;

    public enum Source {
        PREVIOUS_ROUNDS("previous_rounds"), EXPERIMENT("experiment");

        private final String spelling;

        Source(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    public WarmStart {
        ids = List.copyOf(ids);
    }

    /** Reads {@code strategy.warm_start}; records problems under that path. */
    static Optional<WarmStart> parse(JsonNode node, Violations v) {
        if (!node.isObject()) {
            v.add(PATH, "must be a mapping: {from: previous_rounds, max_trials: N} or {from: experiment, ids: [ID, ...]}");
            return Optional.empty();
        }
        int before = v.size();
        Fields.onlyKeys(node, PATH, v, "from", "max_trials", "ids");
        Optional<String> from = Fields.text(node, "from", PATH, v, true);
        Optional<Long> max = Fields.wholeNumber(node, "max_trials", PATH, v, false, 1, MAX_TRIALS);
        Source source = null;
        if (from.isPresent()) {
            for (Source s : Source.values()) if (s.spelling.equals(from.get())) source = s;
            if (source == null) {
                v.add(PATH + ".from", "must be previous_rounds (the model's earlier experiments) or experiment (the ones in ids); is "
                        + quoted(from.get()));
            }
        }
        List<Long> ids = List.of();
        JsonNode idsNode = node.get("ids");
        if (source == Source.EXPERIMENT) {
            ids = ids(idsNode, v);
        } else if (source == Source.PREVIOUS_ROUNDS && idsNode != null) {
            v.add(PATH + ".ids", "only with from: experiment (previous_rounds takes the model's earlier experiments itself)");
        }
        if (v.size() > before || source == null) return Optional.empty();
        return Optional.of(new WarmStart(source, max.map(Long::intValue).orElse(DEFAULT_MAX_TRIALS), ids));
    }

    private static List<Long> ids(JsonNode node, Violations v) {
        String path = PATH + ".ids";
        if (node == null || node.isNull()) {
            v.add(path, "is required with from: experiment (a list of 1 to " + MAX_IDS + " experiment ids)");
            return List.of();
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_IDS) {
            v.add(path, "must be a list of 1 to " + MAX_IDS + " experiment ids");
            return List.of();
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 1) {
                v.add(path + "[" + i + "]", "must be an experiment id (a whole number of at least 1)");
            } else if (!ids.add(n.asLong())) {
                v.add(path + "[" + i + "]", "is listed twice (" + n.asLong() + ")");
            }
        }
        return new ArrayList<>(ids);
    }

    private static String quoted(String s) {
        return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
    }

    /** As stored in the normalised spec. */
    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("from", from.spelling).put("max_trials", maxTrials);
        if (from == Source.EXPERIMENT) {
            ArrayNode a = n.putArray("ids");
            ids.forEach(a::add);
        }
        return n;
    }
}
