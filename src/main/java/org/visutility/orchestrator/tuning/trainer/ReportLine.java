package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.visutility.orchestrator.tuning.IntermediateReport;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One line of a trainer's stdout under the trainer protocol. A line that is a JSON object is a
 * report: with {@code "step"} (a whole number) it is intermediate, without it is a final report.
 * A report's other fields must be numbers, except {@code artifact_uri} (a string) in a final
 * report. Any other line is the trainer's own output and is ignored. A report past the limits of
 * {@link OutputLimits} (metrics per report, name and artifact lengths) is malformed. Names and the
 * artifact are cleaned of control characters ({@link TrainerText}): jsonb refuses an escaped NUL.
 */
public sealed interface ReportLine {
    String STEP = "step";
    String ARTIFACT_URI = "artifact_uri";
    /** A final report's reference of the trainer's data (histograms per feature, optionally a calibration). */
    String REFERENCES = "references";

    record Intermediate(IntermediateReport report) implements ReportLine {
    }

    record Final(Map<String, Double> metrics, Optional<String> artifactUri, Optional<JsonNode> references) implements ReportLine {
    }

    /** A JSON object that breaks the protocol; the trial fails with this reason. */
    record Malformed(String reason) implements ReportLine {
    }

    record NotAReport() implements ReportLine {
    }

    static ReportLine parse(String line, ObjectMapper mapper) {
        String s = line.strip();
        if (!s.startsWith("{")) return new NotAReport();
        JsonNode node;
        try {
            node = mapper.readTree(s);
        } catch (JsonProcessingException e) {
            return new NotAReport(); // a log line that happens to start with a brace
        }
        if (node == null || !node.isObject()) return new NotAReport();
        int metricCount = node.size() - (node.has(STEP) ? 1 : 0) - (node.has(ARTIFACT_URI) ? 1 : 0) - (node.has(REFERENCES) ? 1 : 0);
        if (metricCount > OutputLimits.MAX_METRICS_PER_REPORT) {
            return new Malformed("a report has " + metricCount + " metrics; the trainer protocol allows at most "
                    + OutputLimits.MAX_METRICS_PER_REPORT);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        Long step = null;
        String artifact = null;
        JsonNode references = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case STEP -> {
                    if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
                        return new Malformed("report " + abbreviate(s) + ": \"step\" must be a whole number >= 0");
                    }
                    step = v.asLong();
                }
                case ARTIFACT_URI -> {
                    if (!v.isTextual()) return new Malformed("report " + abbreviate(s) + ": \"artifact_uri\" must be a string");
                    if (v.asText().length() > OutputLimits.MAX_ARTIFACT_URI_CHARS) {
                        return new Malformed("\"artifact_uri\" has " + v.asText().length() + " characters; the trainer protocol allows at most "
                                + OutputLimits.MAX_ARTIFACT_URI_CHARS);
                    }
                    artifact = TrainerText.clean(v.asText());
                }
                case REFERENCES -> {
                    // checked by the engine when the trial completes (the rules of references set FILE)
                    if (!v.isObject()) return new Malformed("report " + abbreviate(s) + ": \"references\" must be an object {\"features\": [...]}");
                    references = v;
                }
                default -> {
                    if (e.getKey().length() > OutputLimits.MAX_METRIC_NAME_CHARS) {
                        return new Malformed("a metric's name has " + e.getKey().length() + " characters; the trainer protocol allows at most "
                                + OutputLimits.MAX_METRIC_NAME_CHARS);
                    }
                    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                        return new Malformed("report " + abbreviate(s) + ": \"" + e.getKey() + "\" must be a finite number");
                    }
                    metrics.put(TrainerText.clean(e.getKey()), v.asDouble());
                }
            }
        }
        if (step != null) {
            if (artifact != null) return new Malformed("report " + abbreviate(s) + ": \"artifact_uri\" belongs in the final report");
            if (references != null) return new Malformed("report " + abbreviate(s) + ": \"references\" belongs in the final report");
            return new Intermediate(new IntermediateReport(step, metrics));
        }
        return new Final(metrics, Optional.ofNullable(artifact), Optional.ofNullable(references));
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
