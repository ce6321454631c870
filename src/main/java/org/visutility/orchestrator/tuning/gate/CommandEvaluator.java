package org.visutility.orchestrator.tuning.gate;

import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.trainer.CommandTrainer;
import org.visutility.orchestrator.tuning.trainer.TrialContext;
import org.visutility.orchestrator.tuning.trainer.TrialReporter;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluator protocol, an extension of the trainer protocol: the program is started once per
 * version with {@code --artifact=URI} (the version's artifact_uri) and the environment
 * ORCH_EVAL_MODEL, ORCH_EVAL_VERSION, ORCH_EVAL_EXPERIMENT_ID, ORCH_EVAL_ROLE ({@code candidate} or
 * {@code active}) and ORCH_EVAL_DIR (a fresh folder); it prints one JSON object of metrics. It runs
 * as a trainer does ({@link CommandTrainer}: the same allow-listed environment, own session,
 * output limits, timeout and stderr tail), so the final report's rules apply: the last JSON object
 * without {@code "step"} on stdout holds the metrics, exit status 0 is success.
 */
public final class CommandEvaluator implements Evaluator {
    public static final String KIND = "command";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final String MODEL_ENV = "ORCH_EVAL_MODEL";
    public static final String VERSION_ENV = "ORCH_EVAL_VERSION";
    public static final String EXPERIMENT_ENV = "ORCH_EVAL_EXPERIMENT_ID";
    public static final String ROLE_ENV = "ORCH_EVAL_ROLE";
    public static final String DIR_ENV = "ORCH_EVAL_DIR";
    private static final TrialReporter IGNORE_STEPS = report -> TrialReporter.Verdict.CONTINUE;

    private final List<String> command;
    private final Duration timeout;
    private final Optional<Path> workdir;

    /** @param workdir where the program runs; empty: in ORCH_EVAL_DIR */
    public CommandEvaluator(List<String> command, Duration timeout, Optional<Path> workdir) {
        if (command.isEmpty()) throw new IllegalArgumentException("an evaluator needs a command");
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.workdir = workdir;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Evaluation evaluate(EvaluationRequest request) throws InterruptedException {
        List<String> argv = new ArrayList<>(command);
        argv.add("--artifact=" + request.artifactUri().orElseThrow());
        Map<String, String> env = new LinkedHashMap<>();
        env.put(MODEL_ENV, request.model());
        env.put(VERSION_ENV, request.version());
        env.put(EXPERIMENT_ENV, Long.toString(request.experimentId()));
        env.put(ROLE_ENV, request.role().spelling());
        env.put(DIR_ENV, request.directory().toString());
        CommandTrainer program = new CommandTrainer(argv, Optional.of(timeout), workdir, env);
        // the trainer's machinery with no hyperparameters: one run, its folder the evaluation's
        TrialContext run = new TrialContext(request.experimentId(), 0, 1, Params.of(Map.of()),
                new Objective("evaluation", Direction.MAXIMIZE), request.stop(), request::directory);
        TrialResult result = program.train(run, IGNORE_STEPS);
        return switch (result.outcome()) {
            case COMPLETE -> Evaluation.scored(result.metrics());
            case STOPPED -> Evaluation.stoppedEarly();
            case FAILED, PRUNED -> Evaluation.failed("evaluator failed for " + request.label() + ": "
                    + String.valueOf(result.error()).replace("(trainer.timeout)", "(gate.evaluator.timeout)"));
        };
    }
}
