package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trainer protocol, for a program in any language: the program is started once per trial with
 * each hyperparameter as {@code --name=value}, the environment ORCH_TRIAL_PARAMS (JSON),
 * ORCH_TRIAL_NUMBER, ORCH_EXPERIMENT_ID, ORCH_TRIAL_DIR (a fresh folder), ORCH_TRIAL_ATTEMPT and, when
 * the spec names {@code trainer.dataset}, ORCH_DATASET, and ORCH_TRIAL_TOKEN; of the node's own
 * environment only an allow-list ({@link TrainerEnvironment}), plus the spec's {@code trainer.env};
 * its stdout lines that are JSON objects are reports ({@link ReportLine}). Exit status 0 with a
 * final report is success; a non-zero exit, a broken report, no final report or the timeout fail
 * the trial, keeping the tail of stderr; so does output past {@link OutputLimits}. The program leads
 * its own session ({@link OwnSession}); timeout, pruning, stop and output past the limits kill all
 * its processes, even those that left its tree ({@link ProcessTree}); a node killed outright takes
 * its trainer with it ({@link DiesWithItsNode}).
 */
public final class CommandTrainer implements Trainer {
    public static final String TYPE = "command";
    /** The environment variable that tells the program where trainer.dataset is (an absolute path or a URI). */
    public static final String DATASET_ENV = "ORCH_DATASET";
    /** A value unique to each attempt, in the trainer's environment: its processes are found by it, even those that left its tree. */
    public static final String TOKEN_ENV = "ORCH_TRIAL_TOKEN";
    private static final Logger LOG = LoggerFactory.getLogger(CommandTrainer.class);
    /** How often the waiting thread looks at the stop signal and the clock. */
    private static final long POLL_MS = 50;
    /** How long the output readers may take to drain once the process is gone. */
    private static final long DRAIN_MS = 5_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<String> command;
    private final Optional<Duration> timeout;
    private final Optional<Path> workdir;
    private final Map<String, String> environment;
    private final Map<String, String> nodeEnvironment;

    /** @param environment trainer.env and ORCH_DATASET: added to the allow-listed part of the node's environment */
    public CommandTrainer(List<String> command, Optional<Duration> timeout, Optional<Path> workdir, Map<String, String> environment) {
        this(command, timeout, workdir, environment, System.getenv());
    }

    /** With the node's environment given (tests: a node with secrets in its environment). */
    CommandTrainer(List<String> command, Optional<Duration> timeout, Optional<Path> workdir, Map<String, String> environment,
                   Map<String, String> nodeEnvironment) {
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.workdir = workdir;
        this.environment = Map.copyOf(environment);
        this.nodeEnvironment = Map.copyOf(nodeEnvironment);
    }

    @Override
    public TrialResult train(TrialContext trial, TrialReporter reporter) throws InterruptedException {
        List<String> argv = new ArrayList<>(command);
        trial.params().values().keySet().forEach(name -> argv.add("--" + name + "=" + trial.params().commandLineValue(name)));
        Path trialDir = trial.directory();
        Path folder = workdir.orElse(trialDir);
        String token = UUID.randomUUID().toString();
        Map<String, String> env = TrainerEnvironment.of(nodeEnvironment, environment, protocolVariables(trial, trialDir, token));
        DiesWithItsNode.Start start = DiesWithItsNode.bind(argv, folder, env.get("PATH"));
        if (start.problem() != null) return TrialResult.failed("cannot start " + argv.get(0) + ": " + start.problem());
        ProcessBuilder pb = new ProcessBuilder(OwnSession.wrap(start.argv(), folder, env.get("PATH"))).directory(folder.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));

        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return TrialResult.failed("cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        ProcessTree tree = new ProcessTree(process, TOKEN_ENV + "=" + token);
        OutputTail stderr = new OutputTail();
        StdoutReports stdout = new StdoutReports(reporter, tree);
        try (TrialLog outLog = TrialLog.open(trialDir.resolve(TrialLog.STDOUT), OutputLimits.MAX_LOG_BYTES);
             TrialLog errLog = TrialLog.open(trialDir.resolve(TrialLog.STDERR), OutputLimits.MAX_LOG_BYTES)) {
            LinePump out = LinePump.start(process.getInputStream(), OutputLimits.MAX_LINE_BYTES, TrialLog.tee(stdout, outLog),
                    "trial-" + trial.number() + "-stdout");
            LinePump err = LinePump.start(process.getErrorStream(), OutputLimits.MAX_STDERR_LINE_BYTES, TrialLog.tee(stderr, errLog),
                    "trial-" + trial.number() + "-stderr");
            return awaitEnd(trial, process, tree, stdout, stderr, out, err);
        }
    }

    /** Waits for the program (or the stop, the timeout, pruning, a limit), drains its output and says how the attempt ended. */
    private TrialResult awaitEnd(TrialContext trial, Process process, ProcessTree tree, StdoutReports stdout, OutputTail stderr,
                                 LinePump out, LinePump err) throws InterruptedException {

        long deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        String killedFor = null;
        try {
            while (!process.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                tree.remember();
                if (trial.stopRequested()) {
                    killedFor = "stop";
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    killedFor = "timeout";
                    break;
                }
                if (stdout.pruned()) {
                    killedFor = "prune";
                    break;
                }
                if (stdout.overLimit() != null) {
                    killedFor = "limit";
                    break;
                }
            }
        } catch (InterruptedException e) {
            tree.kill();
            out.finish();
            err.finish();
            throw e;
        }
        if (killedFor != null) {
            tree.kill();
            process.waitFor(DRAIN_MS, TimeUnit.MILLISECONDS);
        } else {
            tree.killLeftovers();
        }
        // the trainer and its processes are gone: the pumps take what the pipes still hold and end,
        // even if a process that escaped the kill keeps a pipe open
        out.finish();
        err.finish();
        if (!out.join(DRAIN_MS) || !err.join(DRAIN_MS)) LOG.warn("Trial {}: its output readers did not end within {} ms", trial.number(), DRAIN_MS);

        if ("stop".equals(killedFor)) return TrialResult.stopped(stderr.withReason("stopped"));
        if ("timeout".equals(killedFor)) {
            return TrialResult.failed(stderr.withReason("timed out after " + Durations.format(timeout.get())
                    + " (trainer.timeout); the process tree was killed"));
        }
        if (stdout.overLimit() != null) return TrialResult.failed(stderr.withReason(stdout.overLimit() + "; the process tree was killed"));
        if (stdout.pruned()) return TrialResult.pruned(stdout.lastMetrics());
        int exit = process.exitValue();
        if (exit != 0) return TrialResult.failed(stderr.withReason("exit status " + exit));
        if (stdout.malformed() != null) return TrialResult.failed(stderr.withReason(stdout.malformed()));
        ReportLine.Final last = stdout.lastFinal();
        if (last == null) {
            return TrialResult.failed(stderr.withReason("no final report: stdout had no JSON object without \"step\""));
        }
        return TrialResult.complete(last.metrics(), last.artifactUri(), last.references());
    }

    /** The protocol's variables for one attempt, and the token its processes are found by. */
    private Map<String, String> protocolVariables(TrialContext trial, Path trialDir, String token) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("ORCH_TRIAL_PARAMS", trial.params().toJson().toString());
        vars.put("ORCH_TRIAL_NUMBER", Integer.toString(trial.number()));
        vars.put("ORCH_EXPERIMENT_ID", Long.toString(trial.experimentId()));
        vars.put("ORCH_TRIAL_DIR", trialDir.toString());
        vars.put("ORCH_TRIAL_ATTEMPT", Integer.toString(trial.attempt()));
        vars.put(TOKEN_ENV, token);
        vars.putAll(trial.round().environment());
        return vars;
    }

    /**
     * Reads stdout under the protocol: intermediate reports go to the reporter, the last final
     * report is kept. Past a limit of {@link OutputLimits} it notes why and kills the tree at once.
     */
    private static final class StdoutReports implements LinePump.Sink {
        private final TrialReporter reporter;
        private final ProcessTree tree;
        private final AtomicReference<ReportLine.Final> lastFinal = new AtomicReference<>();
        private final AtomicReference<String> malformed = new AtomicReference<>();
        private final AtomicReference<String> overLimit = new AtomicReference<>();
        private volatile Map<String, Double> lastMetrics = Map.of();
        private volatile boolean pruned;
        private long lines;
        private int reports;

        StdoutReports(TrialReporter reporter, ProcessTree tree) {
            this.reporter = reporter;
            this.tree = tree;
        }

        @Override
        public void line(String line) {
            lines++;
            if (pruned || overLimit.get() != null) return;
            ReportLine parsed = ReportLine.parse(line, MAPPER);
            if (!(parsed instanceof ReportLine.NotAReport) && ++reports > OutputLimits.MAX_REPORTS) {
                stopFor("more than " + OutputLimits.MAX_REPORTS + " reports on stdout (the trainer protocol's limit)");
                return;
            }
            if (parsed instanceof ReportLine.Intermediate i) {
                IntermediateReport report = i.report();
                lastMetrics = report.metrics();
                if (reporter.report(report) == TrialReporter.Verdict.PRUNE) {
                    pruned = true;
                    tree.kill();
                }
            } else if (parsed instanceof ReportLine.Final f) {
                lastFinal.set(f);
            } else if (parsed instanceof ReportLine.Malformed m) {
                malformed.compareAndSet(null, m.reason());
            }
        }

        @Override
        public void tooLong(String start) {
            stopFor("stdout line " + (lines + 1) + " is longer than " + OutputLimits.MAX_LINE_BYTES
                    + " bytes (the trainer protocol's limit)");
        }

        private void stopFor(String reason) {
            if (overLimit.compareAndSet(null, reason)) tree.kill();
        }

        boolean pruned() {
            return pruned;
        }

        String overLimit() {
            return overLimit.get();
        }

        Map<String, Double> lastMetrics() {
            return lastMetrics;
        }

        ReportLine.Final lastFinal() {
            return lastFinal.get();
        }

        String malformed() {
            return malformed.get();
        }
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements TrainerProvider {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void validate(ObjectNode options, Violations v) {
            Fields.onlyKeys(options, "trainer", v, "type", "command", "timeout", "workdir", "env", "dataset");
            JsonNode command = options.get("command");
            if (command == null || !command.isArray() || command.isEmpty()) {
                v.add("trainer.command", "must be a non-empty list, e.g. [python3, train.py]");
            } else {
                for (JsonNode part : command) {
                    if (!part.isValueNode() || part.isNull() || part.asText().isEmpty()) {
                        v.add("trainer.command", "each element must be a non-empty string");
                        break;
                    }
                }
            }
            Fields.duration(options, "timeout", "trainer", v, false);
            Fields.text(options, "workdir", "trainer", v, false).ifPresent(w -> {
                if (!Path.of(w).isAbsolute()) v.add("trainer.workdir", "must be an absolute path (submit resolves a relative one against the spec file)");
            });
            Fields.text(options, "dataset", "trainer", v, false).ifPresent(d -> validateDataset(d, options, v));
            TrainerEnvironment.validate(options.get("env"), v);
        }

        @Override
        public Trainer create(ObjectNode options, SearchSpace space) {
            List<String> command = command(options);
            Optional<Duration> timeout = Optional.ofNullable(options.get("timeout")).filter(n -> !n.isNull())
                    .map(n -> Durations.parse(n.asText()));
            Optional<Path> workdir = workdir(options);
            Map<String, String> env = new LinkedHashMap<>();
            JsonNode e = options.get("env");
            if (e != null && e.isObject()) e.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
            dataset(options).ifPresent(d -> env.put(DATASET_ENV, d.location()));
            return new CommandTrainer(command, timeout, workdir, env);
        }

        /** The program's command line, and the dataset its spec names ({@code trainer.dataset}), if any. */
        @Override
        public TrainerProvenance provenance(ObjectNode options) {
            return TrainerProvenance.command(command(options), dataset(options));
        }

        private static List<String> command(ObjectNode options) {
            List<String> command = new ArrayList<>();
            options.get("command").forEach(p -> command.add(p.asText()));
            return command;
        }

        private static Optional<DatasetSource> dataset(ObjectNode options) {
            return Optional.ofNullable(options.get("dataset")).filter(JsonNode::isTextual)
                    .map(d -> DatasetSource.parse(d.asText(), workdir(options)));
        }

        private static Optional<Path> workdir(ObjectNode options) {
            return Optional.ofNullable(options.get("workdir")).filter(JsonNode::isTextual).map(n -> Path.of(n.asText()));
        }

        private static void validateDataset(String dataset, ObjectNode options, Violations v) {
            try {
                DatasetSource source = DatasetSource.parse(dataset, workdir(options));
                if (source instanceof DatasetSource.LocalFile && !Path.of(dataset).isAbsolute() && workdir(options).isEmpty()) {
                    v.add("trainer.dataset", "must be an absolute path or a URI when trainer.workdir is not set");
                } else if (source instanceof DatasetSource.LocalFile file) {
                    // a file the program reads itself, but the node reads it too (its sha256 for lineage)
                    file.problem().ifPresent(p -> v.add("trainer.dataset", p));
                }
            } catch (IllegalArgumentException e) {
                v.add("trainer.dataset", "must be a path or a URI (" + e.getMessage() + ")");
            }
        }
    }
}
