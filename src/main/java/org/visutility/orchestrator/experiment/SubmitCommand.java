package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.core.ControlClient;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ServerOption;
import org.visutility.orchestrator.core.UserFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code experiments submit FILE [--supersedes ID] [--wait] [--json]}: validates the spec and queues it,
 * recording the failed run it replaces when given. With
 * {@code --wait} it follows the run to its end; when no node of the cluster is alive to run it
 * (always so on the embedded database, which one process owns), this process runs one.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, description = "Validate an experiment spec (YAML) and queue it; --wait follows it to the end.")
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "FILE", description = "the experiment spec (YAML)")
    Path file;

    @Option(names = "--wait", description = "follow the experiment until it ends; exit 1 if it did not succeed")
    boolean waitForEnd;

    @Option(names = "--supersedes", paramLabel = "ID",
            description = "the failed, cancelled or abandoned experiment of the same model that this one replaces")
    Long supersedes;

    @Mixin
    ServerOption server;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) throw new UsageException("no spec file " + file);
        if (supersedes != null && supersedes <= 0) {
            throw new UsageException("--supersedes: must be a positive whole number (an experiment's id), got " + supersedes);
        }
        OrchestratorConfig cfg = config.load();
        Optional<ControlClient> client = server.client(cfg);
        if (client.isPresent()) return overHttp(client.get());
        ExperimentSpec spec;
        try {
            spec = ExperimentSpec.read(file);
        } catch (InvalidSpecException e) {
            throw new UsageException(e.getMessage());
        }
        Database db = MigratedDatabase.open(cfg);
        try {
            long id;
            try {
                id = db.jdbi().inTransaction(h -> ExperimentRows.insertSubmitted(h, spec, null, Optional.ofNullable(supersedes)));
            } catch (SupersedesRefused e) {
                throw new UsageException("--" + e.getMessage() + "; nothing was queued");
            } catch (InvalidSpecException e) {
                throw new UsageException(e.getMessage() + "; nothing was queued");
            }
            if (!waitForEnd) {
                ExperimentReports.Summary s = db.jdbi().withHandle(h -> ExperimentReports.summary(h, id)).orElseThrow();
                if (json.enabled()) {
                    System.out.println(s.toJson());
                } else {
                    System.out.printf("experiment %d queued: model %s, %d trials, strategy %s%n", id, spec.model(),
                            spec.budget().trials(), spec.strategy().name());
                }
                return ExitCode.OK;
            }
            LocalNode local = new LocalNode(cfg, db);
            try {
                ExperimentReports.Summary end = follow(db, id, local);
                Optional<ExperimentReports.Result> result = db.jdbi().withHandle(h -> ExperimentReports.result(h, id));
                print(end, result);
                return ExperimentStatus.SUCCEEDED == end.status() ? ExitCode.OK : ExitCode.FAILED;
            } finally {
                local.close();
            }
        } finally {
            db.close();
        }
    }

    /**
     * Sends the file as it is: the node validates it, and refuses relative paths (a spec sent over
     * HTTP has no folder on the node).
     */
    private int overHttp(ControlClient client) {
        if (waitForEnd) {
            throw new UsageException("--wait cannot be used with --server; follow the experiment with experiments show ID");
        }
        String text;
        try {
            text = UserFiles.readText(file, ExperimentSpec.MAX_FILE_BYTES);
        } catch (UserFiles.RefusedFile | java.io.IOException e) {
            throw new UsageException("invalid experiment spec in " + file + ": file: " + e.getMessage());
        }
        String path = ExperimentControlRoutes.SUBMIT + (supersedes == null ? "" : "?" + ExperimentControlRoutes.SUPERSEDES + "=" + supersedes);
        ControlClient.Answer answer = client.post(path, "application/yaml", text);
        if (!answer.ok()) throw new UsageException(answer.error());
        JsonNode s = answer.body();
        if (json.enabled()) {
            System.out.println(s);
        } else {
            System.out.printf("experiment %d queued: model %s, %d trials, strategy %s%n", s.path("id").asLong(), s.path("model").asText(),
                    s.path("trials").path("budget").asInt(), s.path("strategy").asText());
        }
        return ExitCode.OK;
    }

    private ExperimentReports.Summary follow(Database db, long id, LocalNode local) throws InterruptedException {
        PrintStream progress = json.enabled() ? System.err : System.out;
        progress.printf("experiment %d submitted; waiting for it to end%n", id);
        return RunFollower.follow(db, id, local, progress);
    }

    private void print(ExperimentReports.Summary s, Optional<ExperimentReports.Result> result) {
        if (json.enabled()) {
            ObjectNode out = s.toJson();
            out.set("result", result.map(ExperimentReports.Result::toJson).orElse(null));
            System.out.println(Json.MAPPER.valueToTree(out).toString());
            return;
        }
        System.out.printf("experiment %d %s%s%n", s.id(), s.status(), s.error().map(e -> ": " + e).orElse(""));
        result.ifPresent(r -> {
            System.out.printf("best %s %s at trial %d: %s%n", s.metric(), ExperimentText.number(r.score()), r.trialNumber(), r.params());
            r.modelVersion().ifPresent(v -> System.out.printf("model %s version %s registered (%s)%n", s.model(), v,
                    r.modelVersionStatus().orElse("?")));
            r.gateVerdict().ifPresent(g -> System.out.printf("gate: %s, %s%n", g, ExperimentText.firstLine(r.gateReason().orElse(""))));
        });
    }
}
