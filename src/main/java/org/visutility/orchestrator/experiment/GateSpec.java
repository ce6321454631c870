package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.builtin.BuiltinEvaluator;
import org.visutility.orchestrator.tuning.builtin.BuiltinTrainer;
import org.visutility.orchestrator.tuning.builtin.Datasets;
import org.visutility.orchestrator.tuning.gate.CommandEvaluator;
import org.visutility.orchestrator.tuning.gate.GateRule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The spec's {@code gate:}: how the challenger gate judges the experiment's candidate against the
 * model's active version. A command (or function) trainer's versions are scored by
 * {@code evaluator} (a program speaking the evaluator protocol); the built-in trainer scores its own
 * on {@code data}, a labelled CSV of fresh rows (a path relative to the spec file's folder, stored
 * absolute, or a shipped dataset's name).
 */
public record GateSpec(String metric, Direction direction, double minGain, List<String> noWorse,
                       Optional<Command> evaluator, Optional<String> data) {

    /** {@code gate.evaluator}: the program and how long it may take per version. */
    public record Command(List<String> command, Duration timeout) {
    }

    /** gate.evaluator.timeout at most this long. */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);
    /** gate.no_worse: at most this many metrics. */
    public static final int MAX_NO_WORSE = 20;

    public GateSpec {
        noWorse = List.copyOf(noWorse);
    }

    /** The pure rule the verdict comes from. */
    public GateRule rule() {
        return new GateRule(metric, direction, minGain, noWorse);
    }

    /** Makes a relative gate.data absolute against the spec file's folder (a shipped dataset's name is left alone). */
    static void resolveData(JsonNode root, Path folder) {
        if (!(root.get("gate") instanceof ObjectNode gate) || !gate.path("data").isTextual()) return;
        String data = gate.get("data").asText().trim();
        if (!data.isEmpty() && !Datasets.SHIPPED.contains(data)
                && !Path.of(data).isAbsolute()) {
            gate.put("data", folder.resolve(data).normalize().toString());
        }
    }

    /** The problem of a relative {@code gate.data} in a spec that has no folder of its own (sent over HTTP), if it has one. */
    static Optional<String> dataWithoutFolder(JsonNode root) {
        if (!(root.get("gate") instanceof ObjectNode gate) || !gate.path("data").isTextual()) return Optional.empty();
        String data = gate.get("data").asText().trim();
        if (data.isEmpty() || Datasets.SHIPPED.contains(data) || Path.of(data).isAbsolute()) return Optional.empty();
        return Optional.of("gate.data: must be a shipped dataset's name or an absolute path in a spec sent without its file"
                + " (it has no folder to be relative to)");
    }

    /** Validates {@code gate} of {@code root} against the spec's trainer (its type and, for the built-in one, its label column). */
    static Optional<GateSpec> parse(JsonNode root, Violations v) {
        Optional<ObjectNode> node = Fields.object(root, "gate", "", v, false);
        if (node.isEmpty()) return Optional.empty();
        ObjectNode g = node.get();
        int before = v.size();
        Fields.onlyKeys(g, "gate", v, "metric", "direction", "min_gain", "no_worse", "evaluator", "data");
        Optional<String> metric = Fields.text(g, "metric", "gate", v, true);
        Optional<String> directionText = Fields.text(g, "direction", "gate", v, false);
        Direction direction = Direction.MAXIMIZE;
        if (directionText.isPresent()) {
            if (List.of("maximize", "minimize").contains(directionText.get())) direction = Direction.parse(directionText.get());
            else v.add("gate.direction", "must be maximize or minimize (is '" + directionText.get() + "')");
        }
        Optional<Double> minGain = Fields.number(g, "min_gain", "gate", v, false);
        minGain.filter(m -> m < 0).ifPresent(m -> v.add("gate.min_gain", "must be >= 0 (is " + m + ")"));
        List<String> noWorse = noWorse(g.get("no_worse"), v);
        Optional<Command> evaluator = Fields.object(g, "evaluator", "gate", v, false).flatMap(e -> command(e, v));
        Optional<String> data = Fields.text(g, "data", "gate", v, false);
        checkAgainstTrainer(root.get("trainer"), g, data, v);
        if (v.size() > before) return Optional.empty();
        return Optional.of(new GateSpec(metric.get(), direction, minGain.orElse(0.0), noWorse, evaluator, data));
    }

    private static List<String> noWorse(JsonNode n, Violations v) {
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) {
            v.add("gate.no_worse", "must be a list of metric names, e.g. [recall]");
            return List.of();
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (JsonNode m : n) {
            if (!m.isTextual() || m.asText().isBlank()) {
                v.add("gate.no_worse", "each element must be a metric name (a non-empty string)");
                return List.of();
            }
            if (!names.add(m.asText().trim())) v.add("gate.no_worse", "names '" + m.asText().trim() + "' twice");
        }
        if (names.size() > MAX_NO_WORSE) v.add("gate.no_worse", "must name at most " + MAX_NO_WORSE + " metrics (names " + names.size() + ")");
        return new ArrayList<>(names);
    }

    private static Optional<Command> command(ObjectNode e, Violations v) {
        int before = v.size();
        Fields.onlyKeys(e, "gate.evaluator", v, "command", "timeout");
        JsonNode c = e.get("command");
        List<String> command = new ArrayList<>();
        if (c == null || !c.isArray() || c.isEmpty()) {
            v.add("gate.evaluator.command", "must be a non-empty list, e.g. [python3, evaluate.py]");
        } else {
            for (JsonNode part : c) {
                if (!part.isValueNode() || part.isNull() || part.asText().isEmpty()) {
                    v.add("gate.evaluator.command", "each element must be a non-empty string");
                    break;
                }
                command.add(part.asText());
            }
        }
        Optional<Duration> timeout = Fields.duration(e, "timeout", "gate.evaluator", v, false);
        timeout.filter(t -> t.compareTo(MAX_TIMEOUT) > 0).ifPresent(t ->
                v.add("gate.evaluator.timeout", "must be at most " + Durations.format(MAX_TIMEOUT) + " (is " + Durations.format(t) + ")"));
        if (v.size() > before) return Optional.empty();
        return Optional.of(new Command(command, timeout.orElse(CommandEvaluator.DEFAULT_TIMEOUT)));
    }

    /** The built-in trainer evaluates itself on gate.data; any other trainer needs gate.evaluator. */
    private static void checkAgainstTrainer(JsonNode trainer, ObjectNode g, Optional<String> data, Violations v) {
        if (trainer == null || !trainer.isObject()) return; // trainer's own problem, reported there
        boolean builtin = BuiltinTrainer.TYPE.equals(trainer.path("type").asText().trim());
        if (builtin) {
            if (g.has("evaluator")) v.add("gate.evaluator", "the built-in trainer evaluates its versions itself: give gate.data (a labelled CSV) instead");
            if (!g.has("data")) {
                v.add("gate.data", "is required with the built-in trainer: a labelled CSV of fresh rows (relative to the spec file)");
            } else if (data.isPresent()) {
                BuiltinEvaluator.problem((ObjectNode) trainer, data.get()).ifPresent(p -> v.add("gate.data", p));
            }
        } else {
            if (!g.has("evaluator")) {
                v.add("gate.evaluator", "is required with a " + trainer.path("type").asText() + " trainer: "
                        + "{command: [...], timeout: 10m}, a program that scores a version's --artifact=URI");
            }
            if (g.has("data")) v.add("gate.data", "is for the built-in trainer; an evaluator program reads its own data");
        }
    }

    /** As stored in experiment.spec: every default written out. */
    ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode n = f.objectNode().put("metric", metric).put("direction", direction.spelling()).put("min_gain", minGain);
        ArrayNode nw = n.putArray("no_worse");
        noWorse.forEach(nw::add);
        evaluator.ifPresent(e -> {
            ObjectNode o = n.putObject("evaluator");
            ArrayNode c = o.putArray("command");
            e.command().forEach(c::add);
            o.put("timeout", Durations.format(e.timeout()));
        });
        data.ifPresent(d -> n.put("data", d));
        return n;
    }
}
