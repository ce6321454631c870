package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What travels through the trial channels, as JSON text payloads: a trial to run (owner → workers)
 * and how its attempt ended (worker → owner). JSON rather than serialized Java objects, so a node
 * of another orchestrator version reads them, and the store's deserializer allow-list stays Spring's own.
 */
final class TrialMessages {
    private TrialMessages() {
    }

    /** A message whose payload this version cannot read. */
    static final class Unreadable extends RuntimeException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One attempt of one trial to run, the partition of the experiment's trials step a worker takes.
     * {@code run}: the experiment's version while the sending run owns it (raised by every claim and
     * takeover), echoed in the reply so that each run of the experiment knows which replies are its own;
     * 0 in a request of a node that predates it.
     */
    record Request(long experimentId, int number, int attempt, Params params, String owner, int run) {
        String toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("experiment", experimentId).put("number", number).put("attempt", attempt).put("owner", owner).put("run", run);
            n.set("params", params.toJson());
            return n.toString();
        }

        static Request fromJson(String text) {
            JsonNode n = read(text);
            return new Request(n.path("experiment").asLong(), n.path("number").asInt(), n.path("attempt").asInt(),
                    Params.fromJson(n.path("params")), n.path("owner").asText(), n.path("run").asInt(0));
        }
    }

    /**
     * How an attempt ended on {@code node}, for the run {@code run} of its request. {@code returned}: the
     * worker gave the trial back unfinished (its node is stopping), so the owner runs it again elsewhere
     * instead of recording it.
     */
    record Reply(long experimentId, int number, int attempt, int run, String node, boolean returned, TrialResult result,
                 List<IntermediateReport> reports, Duration took) {
        String toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("experiment", experimentId).put("number", number).put("attempt", attempt).put("run", run).put("node", node)
                    .put("returned", returned).put("outcome", result.outcome().name()).put("took_ms", took.toMillis());
            ObjectNode metrics = n.putObject("metrics");
            result.metrics().forEach(metrics::put);
            result.artifactUri().ifPresent(a -> n.put("artifact_uri", a));
            if (result.error() != null) n.put("error", result.error());
            var array = n.putArray("reports");
            for (IntermediateReport r : reports) {
                ObjectNode report = array.addObject().put("step", r.step());
                ObjectNode values = report.putObject("metrics");
                r.metrics().forEach(values::put);
            }
            return n.toString();
        }

        static Reply fromJson(String text) {
            JsonNode n = read(text);
            TrialResult result = new TrialResult(TrialResult.Outcome.valueOf(n.path("outcome").asText()), doubles(n.path("metrics")),
                    Optional.ofNullable(n.get("artifact_uri")).map(JsonNode::asText),
                    n.hasNonNull("error") ? n.get("error").asText() : null);
            List<IntermediateReport> reports = new java.util.ArrayList<>();
            for (JsonNode r : n.path("reports")) reports.add(new IntermediateReport(r.path("step").asLong(), doubles(r.path("metrics"))));
            return new Reply(n.path("experiment").asLong(), n.path("number").asInt(), n.path("attempt").asInt(), n.path("run").asInt(0),
                    n.path("node").asText(),
                    n.path("returned").asBoolean(), result, List.copyOf(reports), Duration.ofMillis(n.path("took_ms").asLong()));
        }
    }

    private static Map<String, Double> doubles(JsonNode object) {
        Map<String, Double> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }

    private static JsonNode read(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Unreadable("a trial message is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
