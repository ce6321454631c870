package org.visutility.orchestrator.experiment.batch;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.visutility.orchestrator.experiment.Activation;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.VersionStatus;
import org.visutility.orchestrator.model.VersionTransitions;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The gate step, after finalize registered the candidate: the challenger gate judges the candidate
 * against the model's active version ({@link GateJudge}), then one transaction, fenced by the
 * run's version, records the verdict (orchestrator.gate_result), the candidate's version event
 * (actor gate: approved, or approved then active with {@code activate: auto}, or rejected) and ends
 * the experiment succeeded.
 *
 * <p>Two calls, two transactions: the first reads the versions to judge; the second scores them
 * before its first statement (the step's transaction takes a connection only then, so none is held
 * while an evaluator runs for minutes) and writes the decision. A crash before that commit re-runs
 * the whole step on restart; a run after it finds the experiment ended and does nothing, and the
 * gate_result key refuses a second verdict.
 */
final class GateTasklet implements Tasklet {
    private static final Logger LOG = LoggerFactory.getLogger(GateTasklet.class);

    private final RunControl run;
    private final ExperimentSpec spec;
    private final Jdbi jdbi;
    private final ExperimentObserver observer;
    private final GateJudge judge;
    /** What the first call read; null before it. */
    private Plan plan;

    private record Plan(GateRows.Version candidate, Optional<GateRows.Version> active) {
    }

    GateTasklet(RunControl run, ExperimentSpec spec, Jdbi jdbi, Path experimentFolder, ExperimentObserver observer) {
        this.run = run;
        this.spec = spec;
        this.jdbi = jdbi;
        this.observer = observer;
        this.judge = new GateJudge(spec, run.experimentId(), experimentFolder.resolve("gate"), run::stopRequested);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        if (plan == null) return plan();
        if (run.stopRequested()) return stop(chunkContext);
        Optional<GateRows.Result> result = judge.judge(plan.candidate(), plan.active());
        if (result.isEmpty()) return stop(chunkContext);
        decide(result.get());
        return RepeatStatus.FINISHED;
    }

    /** First call: the experiment still undecided and ours, its candidate and the model's active version. */
    private RepeatStatus plan() {
        long id = run.experimentId();
        return jdbi.withHandle(h -> {
            TrialRows.ExperimentState state = TrialRows.lockExperiment(h, id);
            if (ExperimentStatus.RUNNING != state.status()) {
                LOG.info("Nothing to judge: the experiment already {}", state.status());
                return RepeatStatus.FINISHED;
            }
            if (state.version() != run.version()) throw new LostOwnershipException(run);
            GateRows.Version candidate = GateRows.candidate(h, id)
                    .orElseThrow(() -> new IllegalStateException("the experiment is running but registered no candidate version"));
            plan = new Plan(candidate, GateRows.active(h, candidate.modelId()).filter(a -> a.id() != candidate.id()));
            LOG.info("Gate: judging candidate {} against {}", candidate.version(),
                    plan.active().map(a -> "active version " + a.version()).orElse("no active version"));
            return RepeatStatus.CONTINUABLE;
        });
    }

    /** Second call's transaction: the verdict, the version's change and the experiment's end, or nothing. */
    private void decide(GateRows.Result r) {
        long id = run.experimentId();
        jdbi.useHandle(h -> {
            TrialRows.ExperimentState state = TrialRows.lockExperiment(h, id);
            if (ExperimentStatus.RUNNING != state.status()) {
                LOG.info("The gate's verdict is not recorded: the experiment {} meanwhile", state.status());
                return;
            }
            if (state.version() != run.version()) throw new LostOwnershipException(run);
            if (!GateRows.insert(h, id, r)) {
                LOG.info("The experiment has a gate verdict already; nothing more to record");
                return;
            }
            changeStatus(h, r);
            if (!ExperimentRows.finish(h, id, run.version(), ExperimentStatus.SUCCEEDED, null)) throw new LostOwnershipException(run);
            LOG.info("Experiment succeeded: gate {} candidate {}: {}", r.approved() ? "approved" : "rejected",
                    plan.candidate().version(), r.reason());
            AfterCommit.run(() -> observer.experimentEnded(id, ExperimentStatus.SUCCEEDED));
        });
    }

    private void changeStatus(Handle h, GateRows.Result r) {
        String reason = GateRows.bounded(r.reason().replaceAll("\\p{Cntrl}+", " "), 500);
        var evidence = GateEvidence.event(run.experimentId(), r, spec.gate().isPresent());
        VersionStatus now = GateRows.candidate(h, run.experimentId()).orElseThrow().status();
        if (now != VersionStatus.CANDIDATE) {
            // an operator judged it first: their decision stands, the gate's is kept in gate_result
            LOG.warn("Gate: {} is {} already (changed by an operator); its status is left alone", plan.candidate().version(), now);
        } else if (!r.approved()) {
            VersionTransitions.change(h, r.candidate(), VersionStatus.REJECTED, Actor.GATE, reason, evidence);
        } else if (spec.activate() == Activation.AUTO) {
            VersionTransitions.approveAndActivate(h, r.candidate(), Actor.GATE, reason, evidence);
        } else {
            VersionTransitions.change(h, r.candidate(), VersionStatus.APPROVED, Actor.GATE, reason, evidence);
        }
    }

    /** Cancelled, taken over or the node stops while an evaluator runs: nothing is decided. */
    private RepeatStatus stop(ChunkContext chunkContext) {
        RunControl.StopReason reason = run.stopReason().orElse(RunControl.StopReason.SHUTDOWN);
        if (reason == RunControl.StopReason.LOST) throw new LostOwnershipException(run);
        LOG.info("Gate stopped ({}): no verdict; a restart judges again", reason);
        chunkContext.getStepContext().getStepExecution().setTerminateOnly();
        return RepeatStatus.CONTINUABLE;
    }
}
