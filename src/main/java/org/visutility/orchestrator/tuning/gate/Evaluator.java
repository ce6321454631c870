package org.visutility.orchestrator.tuning.gate;

/**
 * Scores one model version on the gate's evaluation data. Called once for the candidate and once
 * for the active version, one after the other; may take minutes. Use {@link #safely} rather than
 * {@link #evaluate} directly: it turns a missing artifact and anything thrown into a failed
 * evaluation, so a gate can never approve because scoring broke.
 */
public interface Evaluator {
    /** How the evidence names it: {@code builtin} or {@code command}. */
    String kind();

    /** Scores the version whose artifact the request names (present: {@link #safely} checks it). */
    Evaluation evaluate(EvaluationRequest request) throws Exception;

    /** Evaluates, never throwing but for an interrupt: a version without artifact, or an evaluator that throws, fails. */
    static Evaluation safely(Evaluator evaluator, EvaluationRequest request) throws InterruptedException {
        if (request.artifactUri().isEmpty() || request.artifactUri().get().isBlank()) {
            return Evaluation.failed(request.label() + " has no artifact_uri: it cannot be scored");
        }
        try {
            Evaluation e = evaluator.evaluate(request);
            return e == null ? Evaluation.failed("the evaluator returned nothing") : e;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            return Evaluation.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
