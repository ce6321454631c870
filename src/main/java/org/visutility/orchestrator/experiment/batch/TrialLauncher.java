package org.visutility.orchestrator.experiment.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.pruning.Pruner;
import org.visutility.orchestrator.tuning.trainer.RoundContext;
import org.visutility.orchestrator.tuning.trainer.Trainer;
import org.visutility.orchestrator.tuning.trainer.TrialContext;
import org.visutility.orchestrator.tuning.trainer.TrialReporter;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Runs one attempt of one trial on a worker thread: a fresh folder, the trainer, the reports, the pruner. */
final class TrialLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(TrialLauncher.class);

    /** A trial attempt that has returned from its trainer. */
    record Done(int number, int attempt, Params params, TrialResult result, List<IntermediateReport> reports, Duration took) {
    }

    private final long experimentId;
    private final Objective objective;
    private final Trainer trainer;
    private final Pruner pruner;
    private final History history;
    private final ExcludedTrials excluded;
    private final RoundContext round;
    private final Path trialsFolder;
    private final BooleanSupplier runStop;

    TrialLauncher(long experimentId, Objective objective, Trainer trainer, Pruner pruner, History history, ExcludedTrials excluded,
                  RoundContext round, Path trialsFolder, BooleanSupplier runStop) {
        this.experimentId = experimentId;
        this.objective = objective;
        this.trainer = trainer;
        this.pruner = pruner;
        this.history = history;
        this.excluded = excluded;
        this.round = round;
        this.trialsFolder = trialsFolder;
        this.runStop = runStop;
    }

    /** The work for the pool; {@code stop} stops this trial alone. */
    Callable<Done> attempt(int number, int attempt, Params params, AtomicBoolean stop) {
        // the worker logs with the run's MDC (model, experiment) plus its trial
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        return () -> {
            if (logContext != null) MDC.setContextMap(logContext);
            MDC.put("experiment", Long.toString(experimentId));
            MDC.put("trial", Integer.toString(number));
            long startedNanos = System.nanoTime();
            List<IntermediateReport> reports = Collections.synchronizedList(new ArrayList<>());
            try {
                TrialContext context = new TrialContext(experimentId, number, attempt, params, objective,
                        () -> stop.get() || runStop.getAsBoolean(), memoized(() -> freshFolder(number, attempt)), round);
                TrialReporter reporter = report -> {
                    reports.add(report);
                    return pruner.shouldPrune(number, List.copyOf(reports), excluded.withoutExcluded(history.view()))
                            ? TrialReporter.Verdict.PRUNE : TrialReporter.Verdict.CONTINUE;
                };
                TrialResult result;
                try {
                    result = trainer.train(context, reporter);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    result = TrialResult.stopped("interrupted");
                } catch (Exception e) {
                    LOG.warn("Trainer failed with {}", e.toString());
                    result = TrialResult.failed("the trainer threw " + e);
                }
                return new Done(number, attempt, params, result, List.copyOf(reports),
                        Duration.ofNanos(System.nanoTime() - startedNanos));
            } finally {
                MDC.clear();
            }
        };
    }

    /** experiments/ID/trials/NUMBER-ATTEMPT, emptied if a previous process left something there. */
    private Path freshFolder(int number, int attempt) {
        Path folder = trialsFolder.resolve(number + "-" + attempt);
        try {
            if (Files.exists(folder)) {
                try (var paths = Files.walk(folder)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the trial folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static Supplier<Path> memoized(Supplier<Path> make) {
        return new Supplier<>() {
            private Path value;

            @Override
            public synchronized Path get() {
                if (value == null) value = make.get();
                return value;
            }
        };
    }
}
