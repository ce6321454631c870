package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.pareto.Constraint;
import org.visutility.orchestrator.tuning.pareto.Objectives;
import org.visutility.orchestrator.tuning.pareto.SelectRule;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A spec's {@code objective} and {@code select}: one objective as a mapping
 * ({@code {metric: accuracy, direction: maximize}}), or several as a list, with the rule that picks
 * the best set from their Pareto front ({@code select: {metric: accuracy, constraint: "latency_ms <= 20"}};
 * without {@code select}, the front member best on the first objective listed).
 *
 * @param objectives every objective, in the spec's order
 * @param select     the choice rule; present exactly when the objectives are a list
 */
public record ObjectiveChoice(Objectives objectives, Optional<SelectRule> select) {

    public boolean several() {
        return select.isPresent();
    }

    /**
     * The objective a trial's {@code score} holds and single-metric code (the gate's default, the
     * logs) reads: the only one, or with several the one {@code select.metric} names.
     */
    public Objective primary() {
        return select.map(s -> objectives.find(s.metric())).orElse(objectives.get(0));
    }

    static Optional<ObjectiveChoice> parse(JsonNode root, Violations v) {
        JsonNode node = root.get("objective");
        JsonNode selectNode = root.get("select");
        boolean hasSelect = selectNode != null && !selectNode.isNull();
        if (node == null || node.isNull()) {
            v.add("objective", "is required");
            return Optional.empty();
        }
        if (node.isObject()) {
            if (hasSelect) {
                v.add("select", "only with several objectives (a list under objective); with one objective the best set is its best trial");
            }
            return one((ObjectNode) node, "objective", v).map(o -> new ObjectiveChoice(Objectives.of(o), Optional.empty()));
        }
        if (!node.isArray()) {
            v.add("objective", "must be a mapping {metric, direction} or a list of them (several objectives)");
            return Optional.empty();
        }
        int before = v.size();
        if (node.size() < 2) {
            v.add("objective", "a list needs at least two objectives (has " + node.size() + "); write one objective as a mapping {metric, direction}");
        } else if (node.size() > Objectives.MAX) {
            v.add("objective", "lists " + node.size() + " objectives; at most " + Objectives.MAX);
        }
        List<Objective> list = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "objective[" + i + "]";
            if (!node.get(i).isObject()) {
                v.add(path, "must be a mapping {metric, direction}");
                continue;
            }
            Optional<Objective> o = one((ObjectNode) node.get(i), path, v);
            if (o.isEmpty()) continue;
            if (!seen.add(o.get().metric())) v.add(path + ".metric", "'" + o.get().metric() + "' is listed twice");
            list.add(o.get());
        }
        if (v.size() > before) return Optional.empty();
        Objectives objectives = new Objectives(list);
        Optional<SelectRule> select = hasSelect ? select(selectNode, objectives, v) : Optional.of(SelectRule.firstObjective(objectives));
        return select.map(s -> new ObjectiveChoice(objectives, Optional.of(s)));
    }

    private static Optional<Objective> one(ObjectNode o, String path, Violations v) {
        Fields.onlyKeys(o, path, v, "metric", "direction");
        Optional<String> metric = Fields.text(o, "metric", path, v, true);
        Optional<String> direction = Fields.text(o, "direction", path, v, true);
        if (direction.isPresent() && !List.of("maximize", "minimize").contains(direction.get())) {
            v.add(path + ".direction", "must be maximize or minimize (is '" + direction.get() + "')");
            return Optional.empty();
        }
        if (metric.isEmpty() || direction.isEmpty()) return Optional.empty();
        return Optional.of(new Objective(metric.get(), Direction.parse(direction.get())));
    }

    private static Optional<SelectRule> select(JsonNode node, Objectives objectives, Violations v) {
        if (!node.isObject()) {
            v.add("select", "must be a mapping {metric, constraint}");
            return Optional.empty();
        }
        int before = v.size();
        Fields.onlyKeys(node, "select", v, "metric", "constraint");
        String known = String.join(", ", objectives.metrics());
        Optional<String> metric = Fields.text(node, "metric", "select", v, true);
        metric.filter(m -> objectives.find(m) == null).ifPresent(m ->
                v.add("select.metric", "'" + m + "' is not one of the objectives (" + known + ")"));
        Optional<String> text = Fields.text(node, "constraint", "select", v, false);
        List<Constraint> constraints = List.of();
        if (text.isPresent()) {
            try {
                constraints = Constraint.parseAll(text.get());
                for (Constraint c : constraints) {
                    if (objectives.find(c.metric()) == null) {
                        v.add("select.constraint", "'" + c.metric() + "' is not one of the objectives (" + known
                                + "); a constraint bounds an objective metric");
                    }
                }
            } catch (Constraint.Malformed e) {
                v.add("select.constraint", e.getMessage());
            }
        }
        if (v.size() > before) return Optional.empty();
        return Optional.of(new SelectRule(metric.get(), constraints));
    }

    /** Writes {@code objective} (and {@code select}) in the stored form: one objective exactly as before, several with their rule spelled out. */
    void write(ObjectNode spec) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (!several()) {
            Objective o = objectives.get(0);
            spec.set("objective", f.objectNode().put("metric", o.metric()).put("direction", o.direction().spelling()));
            return;
        }
        ArrayNode list = spec.putArray("objective");
        for (Objective o : objectives.list()) list.addObject().put("metric", o.metric()).put("direction", o.direction().spelling());
        SelectRule s = select.get();
        ObjectNode n = f.objectNode().put("metric", s.metric());
        if (!s.constraints().isEmpty()) n.put("constraint", s.constraintText());
        spec.set("select", n);
    }
}
