package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.pareto.SelectRule;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The best set of an experiment with several objectives: {@code select} applied to the Pareto front
 * of its completed, non-excluded trials (finalize, and trials exclude|include afterwards, both under
 * the experiment's row lock). The set's score is the chosen trial's {@code select.metric} value and
 * its {@code selection} column records the rule and the front it was applied to.
 */
public final class ParetoChoice {
    private static final String CANDIDATES = SqlFiles.load(ParetoChoice.class, "ParetoCandidates");

    /** A completed trial as read for the choice. */
    public record Trial(long id, int number, String params, Map<String, Double> metrics, Optional<String> artifactUri) {
    }

    /**
     * The outcome: the front and, when a member meets every constraint, the chosen trial.
     *
     * @param meeting how many front members met the constraints
     */
    public record Outcome(List<Trial> front, Optional<Trial> chosen, Optional<Trial> closest, int meeting, ObjectiveChoice objectives) {
        /** The chosen trial's select.metric value: the set's score. */
        public double score() {
            return chosen.orElseThrow().metrics().get(objectives.select().orElseThrow().metric());
        }

        /** What hyperparameter_set.selection records. */
        public String selectionJson() {
            SelectRule rule = objectives.select().orElseThrow();
            Objective by = objectives.objectives().find(rule.metric());
            ObjectNode n = Json.MAPPER.createObjectNode().put("rule", "pareto").put("metric", rule.metric())
                    .put("direction", by.direction().spelling());
            if (rule.constraints().isEmpty()) n.putNull("constraint");
            else n.put("constraint", rule.constraintText());
            n.put("front_size", front.size()).put("meeting_constraint", meeting);
            return n.toString();
        }

        /** Why nothing was chosen, for the experiment's error or a refused exclusion. */
        public String whyNone() {
            SelectRule rule = objectives.select().orElseThrow();
            if (front.isEmpty()) return "no trial completed";
            StringBuilder s = new StringBuilder("no trial on the Pareto front (trials ");
            s.append(String.join(", ", front.stream().map(t -> Integer.toString(t.number())).toList()));
            s.append(") meets select.constraint \"").append(rule.constraintText()).append('"');
            closest.ifPresent(c -> {
                s.append("; the closest is trial ").append(c.number()).append(" with ");
                List<String> values = new ArrayList<>();
                rule.constraints().forEach(k -> values.add(k.metric() + " = " + c.metrics().get(k.metric())));
                s.append(String.join(", ", values.stream().distinct().toList()));
            });
            return s.toString();
        }
    }

    private ParetoChoice() {
    }

    /**
     * Applies the spec's rule to the experiment's trials as they stand, or as they will once
     * {@code changedTrial} is excluded ({@code excluding}) or included again; {@code changedTrial} −1 for none.
     */
    public static Outcome choose(Handle h, long experiment, ObjectiveChoice objectives, long changedTrial, boolean excluding) {
        List<Trial> trials = h.createQuery(CANDIDATES).bind("experiment", experiment).bind("trial", changedTrial)
                .bind("excluding", excluding)
                .map((rs, ctx) -> new Trial(rs.getLong("id"), rs.getInt("number"), rs.getString("params"),
                        metrics(rs.getString("metrics")), Optional.ofNullable(rs.getString("artifact_uri"))))
                .list();
        Map<Integer, Trial> byNumber = new LinkedHashMap<>();
        List<SelectRule.Candidate> candidates = new ArrayList<>(trials.size());
        for (Trial t : trials) {
            byNumber.put(t.number(), t);
            candidates.add(new SelectRule.Candidate(t.number(), t.metrics()));
        }
        SelectRule rule = objectives.select().orElseThrow();
        SelectRule.Choice choice = rule.choose(candidates, objectives.objectives());
        List<Trial> front = choice.front().stream().map(c -> byNumber.get(c.number())).toList();
        int meeting = (int) choice.front().stream()
                .filter(c -> rule.constraints().stream().allMatch(k -> k.holds(c.metrics()))).count();
        return new Outcome(front, choice.chosen().map(c -> byNumber.get(c.number())),
                choice.closest().map(c -> byNumber.get(c.number())), meeting, objectives);
    }

    /** The objectives of a stored spec's {@code objective} and {@code select} (read with the experiment). */
    public static ObjectiveChoice objectivesOf(String objectiveJson, String selectJson) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("objective", json(objectiveJson));
        if (selectJson != null) root.set("select", json(selectJson));
        org.visutility.orchestrator.tuning.Violations v = new org.visutility.orchestrator.tuning.Violations();
        return ObjectiveChoice.parse(root, v).orElseThrow(() ->
                new IllegalStateException("the stored spec's objective is not valid: " + String.join("; ", v.messages())));
    }

    private static Map<String, Double> metrics(String text) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (text == null) return metrics;
        for (Iterator<Map.Entry<String, JsonNode>> it = json(text).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber()) metrics.put(e.getKey(), e.getValue().asDouble());
        }
        return metrics;
    }

    /** A JSON text read from the trial table. */
    public static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the trial table: " + e.getMessage(), e);
        }
    }
}
