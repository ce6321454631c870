package org.visutility.orchestrator.web.dashboard;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.experiment.RestartRoute;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Experiments: the list, one experiment with its trials and parameters, and the failed runs with how to restart them. */
final class ExperimentReader {
    static final Set<String> STATUSES = Set.copyOf(ExperimentStatus.names());
    static final int DEFAULT_TRIALS = 1000;
    static final int MAX_TRIALS = 10000;
    /** The learning curves' bounds: reports shown per trial, and in all. */
    static final int MAX_REPORTS_PER_TRIAL = 1000;
    static final int MAX_REPORT_POINTS = 20000;
    /** The launcher that the restart commands offered start with. */
    static final String LAUNCHER = "orchestrator ";
    private static final Set<String> NUMERIC_TYPES = Set.of("float", "int", "integer", "uniform", "loguniform", "double");

    private final ReadOnlyDatabase db;

    ExperimentReader(ReadOnlyDatabase db) {
        this.db = db;
    }

    ObjectNode list(Optional<String> model, Optional<String> status, int limit) {
        return db.read(h -> {
            model.ifPresent(name -> ModelReader.modelId(h, name));
            List<ObjectNode> rows = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "Experiments")
                    .bind("model", model.orElse(null)).bind("status", status.orElse(null)).bind("limit", limit));
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("limit", limit);
            out.set("experiments", Json.MAPPER.valueToTree(rows));
            return out;
        });
    }

    ObjectNode one(long id, int trialLimit) {
        return db.read(h -> {
            ObjectNode experiment = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "Experiment").bind("id", id)).stream()
                    .findFirst().orElseThrow(() -> ApiError.notFound("no experiment with id " + id));
            List<ObjectNode> trials = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "Trials")
                    .bind("id", id).bind("limit", trialLimit));
            restartCommand(experiment, id).ifPresent(c -> experiment.put("restart_command", c));
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.set("experiment", experiment);
            out.set("parameters", parameters(experiment.get("space"), trials));
            out.put("trials_truncated", experiment.get("trials_total").asLong() > trials.size());
            out.set("trials", Json.MAPPER.valueToTree(trials));
            // every trial, not only the trials shown: the node that ran each (its last attempt)
            out.set("trials_per_node", Json.MAPPER.valueToTree(ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "TrialsPerNode").bind("id", id))));
            out.set("reports", learningCurves(h, id, experiment.path("objective_metric"), trialLimit));
            out.set("importance", ParameterImportance.estimate(out.path("parameters"), trials));
            out.set("pareto", pareto(h, id, experiment));
            // null until the gate decided, and until the candidate became active and verification opened
            out.set("gate", ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "Gate").bind("id", id)).stream()
                    .findFirst().map(JsonNode.class::cast).orElse(NullNode.getInstance()));
            out.set("outcome", ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "RetrainOutcome").bind("id", id)).stream()
                    .findFirst().map(JsonNode.class::cast).orElse(NullNode.getInstance()));
            return out;
        });
    }

    /**
     * Each trial's intermediate reports of the objective metric, as {@code {metric, curves:
     * [{trial_number, status, points: [[step, value]...]}], truncated}}, bounded by
     * {@link #MAX_REPORTS_PER_TRIAL} and {@link #MAX_REPORT_POINTS}.
     */
    private static ObjectNode learningCurves(Handle h, long id, JsonNode metric, int trialLimit) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("metric", metric.isTextual() ? metric : NullNode.getInstance());
        ArrayNode curves = out.putArray("curves");
        if (!metric.isTextual()) {
            out.put("truncated", false);
            return out;
        }
        List<ObjectNode> rows = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "TrialReports").bind("id", id)
                .bind("metric", metric.asText()).bind("trials", trialLimit).bind("per_trial", MAX_REPORTS_PER_TRIAL)
                .bind("limit", MAX_REPORT_POINTS + 1));
        boolean truncated = rows.size() > MAX_REPORT_POINTS;
        ObjectNode curve = null;
        for (ObjectNode row : rows.subList(0, Math.min(rows.size(), MAX_REPORT_POINTS))) {
            if (curve == null || curve.get("trial_number").asInt() != row.get("trial_number").asInt()) {
                curve = curves.addObject();
                curve.set("trial_number", row.get("trial_number"));
                curve.set("status", row.get("status"));
                curve.putArray("points");
            }
            ((ArrayNode) curve.get("points")).addArray().add(row.get("step")).add(row.get("value"));
        }
        out.put("truncated", truncated);
        return out;
    }

    /**
     * With several objectives, {@code {objectives: [{metric, direction}...], select: {metric, constraint},
     * front: [trial numbers], selected: the chosen trial or null}} from lineage.pareto_front (excluded trials
     * left out); null for one objective. The trials' values are in their {@code metrics}.
     */
    static JsonNode pareto(Handle h, long id, ObjectNode experiment) {
        JsonNode objectives = experiment.remove("objectives");
        JsonNode select = experiment.remove("select_rule");
        if (objectives == null || !objectives.isArray()) return NullNode.getInstance();
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("objectives", objectives);
        out.set("select", select == null ? NullNode.getInstance() : select);
        ArrayNode front = out.putArray("front");
        out.putNull("selected");
        for (ObjectNode row : ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "ParetoFront").bind("id", id))) {
            front.add(row.get("trial_number"));
            if (row.path("selected").asBoolean(false)) out.set("selected", row.get("trial_number"));
        }
        return out;
    }

    ObjectNode failedRuns(int limit) {
        return db.read(h -> {
            List<ObjectNode> rows = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "FailedRuns").bind("limit", limit));
            rows.forEach(r -> r.put("restart_command", restartCommand(r, r.get("experiment_id").asLong()).orElse(null)));
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("limit", limit);
            out.set("failed_runs", Json.MAPPER.valueToTree(rows));
            return out;
        });
    }

    /**
     * The ops restart command that works for the experiment, if any: plain for a job that did not
     * complete, with --retry-failed for a run that failed by its own rules ({@link RestartRoute}).
     */
    private static Optional<String> restartCommand(ObjectNode experiment, long id) {
        JsonNode job = experiment.path("job_status");
        return RestartRoute.of(experiment.path("status").asText(), job.isTextual() ? job.asText() : null)
                .command(id).map(c -> LAUNCHER + c);
    }

    /**
     * The hyperparameters by name (jsonb keeps no key order, so the spec's order is lost): those of
     * the search space and any others the trials used, each numeric (log when the space says so) or
     * categorical. Without a space entry, a parameter whose values are all numbers is numeric.
     */
    static ArrayNode parameters(JsonNode space, List<ObjectNode> trials) {
        Set<String> names = new TreeSet<>();
        if (space != null && space.isObject()) space.fieldNames().forEachRemaining(names::add);
        trials.forEach(t -> t.path("params").fieldNames().forEachRemaining(names::add));
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (String name : names) {
            JsonNode def = space == null ? Json.MAPPER.missingNode() : space.path(name);
            String type = def.path("type").asText("");
            boolean numeric = def.isObject()
                    ? NUMERIC_TYPES.contains(type)
                    : trials.stream().map(t -> t.path("params").path(name)).allMatch(v -> v.isMissingNode() || v.isNull() || v.isNumber());
            ObjectNode p = out.addObject();
            p.put("name", name);
            p.put("kind", numeric ? "numeric" : "categorical");
            p.put("log", numeric && (def.path("log").asBoolean(false) || "loguniform".equals(type)));
        }
        return out;
    }
}
