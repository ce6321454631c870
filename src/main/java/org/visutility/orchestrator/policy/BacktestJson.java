package org.visutility.orchestrator.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.eval.Backtester;

import java.time.Duration;
import java.time.Instant;

/** A backtest's report as JSON: what policies backtest --json prints and POST /api/v1/policies/backtest answers. */
final class BacktestJson {
    private BacktestJson() {
    }

    static ObjectNode of(Backtester.Report report, Instant from, Instant to, Duration every) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("step", Durations.format(every));
        out.put("values", report.values().spelling());
        out.put("recorded_after_range", report.recordedLater());
        out.put("instants", report.instants());
        out.put("policies", report.policies());
        ArrayNode unknown = out.putArray("unknown_models");
        report.unknownModels().forEach(unknown::add);
        ArrayNode events = out.putArray("events");
        for (Backtester.Event e : report.events()) {
            ObjectNode n = events.addObject();
            n.put("at", e.at().toString());
            n.put("policy", e.policy());
            n.put("model", e.model());
            n.put("from", e.from().spelling());
            n.put("to", e.to().spelling());
            n.put("condition", e.condition());
            n.put("observed", e.observed());
            n.put("threshold", e.threshold());
            ArrayNode ev = n.putArray("evidence_snapshot_ids");
            e.evidence().forEach(ev::add);
            n.put("would_enqueue", e.wouldEnqueue());
            if (e.guard() != null) n.put("guard", e.guard());
            if (e.realised() != null) realised(n.putObject("realised"), e.realised());
        }
        ArrayNode precision = out.putArray("realised_precision");
        for (Backtester.Precision p : report.precision()) {
            ObjectNode n = precision.addObject();
            n.put("policy", p.policy());
            n.put("model", p.model());
            n.put("confirmed", p.confirmed());
            n.put("revised", p.revised());
            n.put("pending", p.pending());
            n.put("precision", p.precision());
        }
        return out;
    }

    private static void realised(ObjectNode n, Backtester.Realised r) {
        n.put("verdict", r.verdict().spelling());
        n.put("metric", r.metric());
        n.put(r.direction(), r.line());
        n.put("window_start", r.windowStart().toString());
        n.put("value", r.value());
        n.put("samples", r.samples());
    }
}
