package org.visutility.orchestrator.experiment.batch;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.experiment.ParetoChoice;
import org.visutility.orchestrator.tuning.Direction;
import org.visutility.orchestrator.tuning.Params;

import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.collect.HistogramRules;
import org.visutility.orchestrator.config.IngestSettings;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.reference.ReferenceDocument;
import org.visutility.orchestrator.reference.ReferenceOrigin;
import org.visutility.orchestrator.reference.ReferenceStore;
import org.visutility.orchestrator.reference.References;
import org.visutility.orchestrator.tuning.builtin.BuiltinTrainer;

/**
 * The finalize step, one transaction: the best complete trial becomes the experiment's
 * hyperparameter set and a new model version (status candidate) is registered from it; the
 * experiment stays running for the gate step ({@link GateTasklet}), which judges the candidate and
 * ends it. With no complete trial the experiment fails instead. When the trials step already ended
 * the experiment (max_failed), or a candidate is registered already (a later retry round), there is
 * nothing left to do.
 */
final class FinalizeTasklet implements Tasklet {
    private static final Logger LOG = LoggerFactory.getLogger(FinalizeTasklet.class);

    private final RunControl run;
    private final ExperimentSpec spec;
    private final Jdbi jdbi;
    private final ExperimentObserver observer;

    FinalizeTasklet(RunControl run, ExperimentSpec spec, Jdbi jdbi, ExperimentObserver observer) {
        this.run = run;
        this.spec = spec;
        this.jdbi = jdbi;
        this.observer = observer;
    }

    /** The label of the model version an experiment registers. */
    public static String versionLabel(long experimentId) {
        return "experiment-" + experimentId;
    }

    /**
     * The best trial's reference becomes the new version's, in the same transaction as the version:
     * origin training for the built-in trainer (its training data), trainer_report for the others.
     */
    private void recordReference(Handle h, long experimentId, long versionId, String json) {
        References refs = ReferenceDocument.read(readJson(json), new HistogramRules(IngestSettings.HISTOGRAM_BINS_CEILING));
        ReferenceOrigin origin = BuiltinTrainer.TYPE.equals(spec.trainer().name()) ? ReferenceOrigin.TRAINING : ReferenceOrigin.TRAINER_REPORT;
        ReferenceStore.set(h, versionId, refs, origin, null, "experiment:" + experimentId);
        LOG.info("Reference of version {} recorded from its trainer ({}): {} feature histogram(s){}", versionLabel(experimentId), origin.column(),
                refs.features().size(), refs.calibration().map(c -> String.format(java.util.Locale.ROOT, ", calibration error %.4f", c.error())).orElse(""));
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the stored reference of the best trial is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long id = run.experimentId();
        return jdbi.withHandle(h -> {
            TrialRows.ExperimentState state = TrialRows.lockExperiment(h, id);
            if (ExperimentStatus.RUNNING != state.status()) {
                LOG.info("Nothing to finalize: the experiment already {}", state.status());
                return RepeatStatus.FINISHED;
            }
            if (state.version() != run.version()) throw new LostOwnershipException(run);
            Optional<GateRows.Version> registered = GateRows.candidate(h, id);
            if (registered.isPresent()) {
                LOG.info("Nothing to finalize: model version {} is registered already; the gate judges it", registered.get().version());
                return RepeatStatus.FINISHED;
            }
            if (spec.severalObjectives()) return finalizeFront(h, id);
            Optional<TrialRows.BestTrial> best = TrialRows.best(h, id, spec.objective().direction() == Direction.MAXIMIZE);
            if (best.isEmpty()) {
                TrialRows.Counts c = TrialRows.counts(h, id);
                ExperimentRows.finish(h, id, run.version(), ExperimentStatus.FAILED,
                        "no trial completed (" + c.failed() + " failed, " + c.pruned() + " pruned)");
                LOG.warn("Experiment failed: no trial completed ({} failed, {} pruned)", c.failed(), c.pruned());
                AfterCommit.run(() -> observer.experimentEnded(id, ExperimentStatus.FAILED));
                return RepeatStatus.FINISHED;
            }
            TrialRows.BestTrial b = best.get();
            long set = TrialRows.insertHyperparameterSet(h, id, b, null);
            long version = TrialRows.registerModelVersion(h, id, versionLabel(id), set, b.artifactUri());
            if (b.reference().isPresent()) recordReference(h, id, version, b.reference().get());
            LOG.info("Best trial {} with {} = {} {}; model version {} ({}) registered as candidate; the gate judges it next",
                    b.number(), spec.objective().metric(), b.score(), b.params(), versionLabel(id), version);
            return RepeatStatus.FINISHED;
        });
    }

    /**
     * Several objectives: select picks the set from the Pareto front. When no front member meets
     * select.constraint the experiment fails, naming the front and the closest member: no version is
     * registered that breaks the constraint.
     */
    private RepeatStatus finalizeFront(org.jdbi.v3.core.Handle h, long id) {
        ParetoChoice.Outcome outcome = ParetoChoice.choose(h, id, spec.objectives(), -1, false);
        if (outcome.chosen().isEmpty()) {
            String reason = outcome.front().isEmpty()
                    ? failedNoneCompleted(h, id)
                    : outcome.whyNone();
            ExperimentRows.finish(h, id, run.version(), ExperimentStatus.FAILED, reason);
            LOG.warn("Experiment failed: {}", reason);
            AfterCommit.run(() -> observer.experimentEnded(id, ExperimentStatus.FAILED));
            return RepeatStatus.FINISHED;
        }
        ParetoChoice.Trial c = outcome.chosen().get();
        TrialRows.BestTrial b = new TrialRows.BestTrial(c.id(), c.number(), Params.fromJson(ParetoChoice.json(c.params())),
                outcome.score(), c.artifactUri(), TrialRows.reportedReference(h, c.id()));
        long set = TrialRows.insertHyperparameterSet(h, id, b, outcome.selectionJson());
        long version = TrialRows.registerModelVersion(h, id, versionLabel(id), set, b.artifactUri());
        if (b.reference().isPresent()) recordReference(h, id, version, b.reference().get());
        LOG.info("Trial {} chosen from a Pareto front of {} ({} meeting the constraint), best on {} = {} {}; model version {} ({})"
                        + " registered as candidate; the gate judges it next",
                b.number(), outcome.front().size(), outcome.meeting(), spec.objective().metric(), b.score(), c.metrics(),
                versionLabel(id), version);
        return RepeatStatus.FINISHED;
    }

    private static String failedNoneCompleted(org.jdbi.v3.core.Handle h, long id) {
        TrialRows.Counts c = TrialRows.counts(h, id);
        return "no trial completed (" + c.failed() + " failed, " + c.pruned() + " pruned)";
    }
}
