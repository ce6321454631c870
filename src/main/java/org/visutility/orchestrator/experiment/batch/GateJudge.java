package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.GateSpec;
import org.visutility.orchestrator.tuning.builtin.BuiltinEvaluator;
import org.visutility.orchestrator.tuning.builtin.BuiltinTrainer;
import org.visutility.orchestrator.tuning.gate.CommandEvaluator;
import org.visutility.orchestrator.tuning.gate.Evaluation;
import org.visutility.orchestrator.tuning.gate.EvaluationRequest;
import org.visutility.orchestrator.tuning.gate.EvaluationRole;
import org.visutility.orchestrator.tuning.gate.Evaluator;
import org.visutility.orchestrator.tuning.gate.GateVerdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;

/**
 * Scores the candidate and the active version with the spec's evaluator and applies the gate's
 * rule; no database. Empty when the run was told to stop meanwhile: then nothing is decided.
 */
final class GateJudge {
    private static final Logger LOG = LoggerFactory.getLogger(GateJudge.class);

    private final ExperimentSpec spec;
    private final long experimentId;
    private final Path folder;
    private final BooleanSupplier stop;

    /** @param folder where each evaluation gets a fresh folder (ORCH_EVAL_DIR) */
    GateJudge(ExperimentSpec spec, long experimentId, Path folder, BooleanSupplier stop) {
        this.spec = spec;
        this.experimentId = experimentId;
        this.folder = folder;
        this.stop = stop;
    }

    Optional<GateRows.Result> judge(GateRows.Version candidate, Optional<GateRows.Version> active) throws InterruptedException {
        if (spec.gate().isEmpty()) {
            return Optional.of(new GateRows.Result(candidate.id(), active.map(GateRows.Version::id), Optional.empty(), Optional.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), true, "no gate",
                    GateEvidence.unscored(candidate, active)));
        }
        GateSpec gate = spec.gate().get();
        Evaluator evaluator;
        try {
            evaluator = evaluator(spec);
        } catch (RuntimeException e) {
            // the data went away or broke since the spec was checked: the gate cannot run
            Evaluation failed = Evaluation.failed("the evaluator cannot be set up: " + e.getMessage());
            String kind = BuiltinTrainer.TYPE.equals(spec.trainer().name()) ? BuiltinEvaluator.KIND : CommandEvaluator.KIND;
            return Optional.of(result(gate, candidate, failed, active, Optional.empty(), kind));
        }
        Evaluation c = Evaluator.safely(evaluator, request(candidate, EvaluationRole.CANDIDATE));
        if (c.stopped()) return Optional.empty();
        LOG.info("Gate: candidate {} scored {}", candidate.version(), c.ok() ? c.metrics() : c.failure().get());
        Optional<Evaluation> a = Optional.empty();
        if (active.isPresent() && c.ok()) {
            Evaluation scored = Evaluator.safely(evaluator, request(active.get(), EvaluationRole.ACTIVE));
            if (scored.stopped()) return Optional.empty();
            LOG.info("Gate: active {} scored {}", active.get().version(), scored.ok() ? scored.metrics() : scored.failure().get());
            a = Optional.of(scored);
        }
        return Optional.of(result(gate, candidate, c, active, a, evaluator.kind()));
    }

    private GateRows.Result result(GateSpec gate, GateRows.Version candidate, Evaluation c, Optional<GateRows.Version> active,
                                   Optional<Evaluation> a, String kind) {
        // an active version left unscored (the candidate failed first) counts as a failed evaluation, never as none
        Optional<Evaluation> judged = active.isPresent() && a.isEmpty()
                ? Optional.of(Evaluation.failed("the active version was not scored")) : a;
        GateVerdict v = gate.rule().judge(c, judged);
        return new GateRows.Result(candidate.id(), active.map(GateRows.Version::id), Optional.of(gate.metric()),
                Optional.of(gate.direction().spelling()), OptionalDouble.of(gate.minGain()), v.candidateScore(), v.activeScore(),
                v.approved(), v.reason(), GateEvidence.scored(candidate, c, active, a, v, kind));
    }

    private EvaluationRequest request(GateRows.Version v, EvaluationRole role) {
        Path dir;
        try {
            Files.createDirectories(folder);
            dir = Files.createTempDirectory(folder, role.spelling() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the evaluation's folder under " + folder, e);
        }
        return new EvaluationRequest(v.model(), v.version(), experimentId, role, v.artifactUri(), dir, stop);
    }

    /** The built-in trainer scores its own versions on gate.data; any other trainer's versions are scored by gate.evaluator. */
    static Evaluator evaluator(ExperimentSpec spec) {
        GateSpec gate = spec.gate().orElseThrow();
        if (BuiltinTrainer.TYPE.equals(spec.trainer().name())) {
            return BuiltinEvaluator.forTrainer(spec.trainer().options(), gate.data().orElseThrow());
        }
        GateSpec.Command command = gate.evaluator().orElseThrow();
        JsonNode workdir = spec.trainer().options().get("workdir");
        return new CommandEvaluator(command.command(), command.timeout(),
                workdir != null && workdir.isTextual() ? Optional.of(Path.of(workdir.asText())) : Optional.empty());
    }
}
