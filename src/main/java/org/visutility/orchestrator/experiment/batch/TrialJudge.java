package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.collect.HistogramRules;
import org.visutility.orchestrator.config.IngestSettings;
import org.visutility.orchestrator.reference.InvalidReferencesException;
import org.visutility.orchestrator.reference.ReferenceDocument;
import org.visutility.orchestrator.experiment.ObjectiveChoice;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/** Turns what a trainer returned into the trial row: status, score, metrics, error. */
final class TrialJudge {
    /** @param references the checked reference of a complete trial (JSON text), to be written with its row */
    record Verdict(TrialStatus status, OptionalDouble score, Map<String, Double> metrics, Optional<String> artifactUri,
                   String error, Optional<String> references) {
        Verdict(TrialStatus status, OptionalDouble score, Map<String, Double> metrics, Optional<String> artifactUri, String error) {
            this(status, score, metrics, artifactUri, error, Optional.empty());
        }
    }

    /** A trainer's reference is bounded by the tables' ceiling, whatever the ingest setting. */
    private static final HistogramRules REFERENCE_RULES = new HistogramRules(IngestSettings.HISTOGRAM_BINS_CEILING);

    private TrialJudge() {
    }

    /**
     * @param stopReason what to write for a trial that was stopped from outside (the reason the run
     *                   stopped it), e.g. "stopped: budget.timeout (2h) reached"
     */
    static Verdict judge(TrialResult result, ObjectiveChoice objectives, String stopReason) {
        Objective objective = objectives.primary();
        return switch (result.outcome()) {
            case COMPLETE -> {
                Verdict lacking = lacking(result, objectives);
                if (lacking != null) yield lacking;
                Double score = result.metrics().get(objective.metric());
                if (score == null) {
                    yield new Verdict(TrialStatus.FAILED, OptionalDouble.empty(), result.metrics(), result.artifactUri(),
                            "the final report has no \"" + objective.metric() + "\" (the objective metric); it reported: "
                                    + (result.metrics().isEmpty() ? "nothing" : String.join(", ", new TreeSet<>(result.metrics().keySet()))));
                }
                if (!Double.isFinite(score)) {
                    // every trainer's final report becomes a score here: NaN or an infinity would win or lose every comparison
                    yield new Verdict(TrialStatus.FAILED, OptionalDouble.empty(), result.metrics(), result.artifactUri(),
                            "the objective metric \"" + objective.metric() + "\" is " + score + ", not a finite number");
                }
                if (result.references().isPresent()) {
                    try {
                        ReferenceDocument.read(result.references().get(), REFERENCE_RULES);
                    } catch (InvalidReferencesException e) {
                        yield new Verdict(TrialStatus.FAILED, OptionalDouble.empty(), result.metrics(), result.artifactUri(),
                                "the final report's references break the rules of references set FILE: " + e.getMessage());
                    }
                }
                yield new Verdict(TrialStatus.COMPLETE, OptionalDouble.of(score), result.metrics(), result.artifactUri(), null,
                        result.references().map(Object::toString));
            }
            case PRUNED -> new Verdict(TrialStatus.PRUNED, OptionalDouble.empty(), result.metrics(), Optional.empty(), null);
            case FAILED -> new Verdict(TrialStatus.FAILED, OptionalDouble.empty(), result.metrics(), Optional.empty(), result.error());
            case STOPPED -> new Verdict(TrialStatus.FAILED, OptionalDouble.empty(), Map.of(), Optional.empty(),
                    stopReason == null ? result.error() : stopReason);
        };
    }

    /**
     * With several objectives a complete trial must report every one, each a finite number: the
     * Pareto front compares them all, so a trial without one fails (it could neither dominate nor be dominated).
     */
    private static Verdict lacking(TrialResult result, ObjectiveChoice objectives) {
        if (!objectives.several()) return null;
        String missing = objectives.objectives().missing(result.metrics());
        if (missing == null) return null;
        Double value = result.metrics().get(missing);
        String error = value == null
                ? "the final report has no \"" + missing + "\" (one of the objectives " + String.join(", ", objectives.objectives().metrics())
                        + "; every one must be reported); it reported: "
                        + (result.metrics().isEmpty() ? "nothing" : String.join(", ", new TreeSet<>(result.metrics().keySet())))
                : "the objective metric \"" + missing + "\" is " + value + ", not a finite number";
        return new Verdict(TrialStatus.FAILED, OptionalDouble.empty(), result.metrics(), result.artifactUri(), error);
    }
}
