package org.visutility.orchestrator.reference;

import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.JdbiException;
import org.visutility.orchestrator.collect.HistogramRules;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.model.OperatorOption;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code references set MODEL VERSION FILE} or {@code references set MODEL VERSION --from-window START..END}:
 * replaces the version's reference in one transaction (the superseded rows are kept).
 */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Set a model version's reference from a JSON file ({\"features\": [{feature, kind, bins, counts}...],"
                + " \"calibration\": {edges, predicted_mean, observed_rate, counts, threshold, positive_class}}) or from the"
                + " production histograms of a window (--from-window START..END, summed per feature; numeric ones must share their edges).",
                "The new histograms replace every current one of the version; a new calibration replaces the current one (a window"
                        + " carries none, so the calibration stays). Invalid input writes nothing (exit 2)."})
final class SetReferencesCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the model's name")
    String model;

    @Parameters(index = "1", paramLabel = "VERSION", description = "the version's label")
    String version;

    @Parameters(index = "2", arity = "0..1", paramLabel = "FILE", description = "the references file (JSON)")
    Path file;

    @Option(names = "--from-window", paramLabel = "START..END",
            description = "sum the version's production histograms observed after START and up to END (ISO-8601 timestamps with an offset)")
    String window;

    @Option(names = "--segment", paramLabel = "SEGMENT", description = "with --from-window: only this segment's histograms (default: all)")
    String segment;

    @Option(names = "--source", paramLabel = "SOURCE", description = "with --from-window: only this source's histograms (default: all)")
    String source;

    @Mixin
    OperatorOption operator;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (window == null)) throw new UsageException("give either FILE or --from-window START..END");
        if (window == null && (segment != null || source != null)) throw new UsageException("--segment and --source go with --from-window");
        ReferenceStore.Window w = window == null ? null : window(window);
        OrchestratorConfig cfg = config.load();
        References fromFile = file == null ? null : ReferenceDocument.read(readJson(file), new HistogramRules(cfg.ingest().maxHistogramBins()));
        String setBy = operator.actor().value();
        try (Database db = MigratedDatabase.open(cfg)) {
            References set = db.jdbi().inTransaction(tx -> {
                long versionId = ReferenceStore.versionId(tx, model, version)
                        .orElseThrow(() -> new UsageException("no version " + version + " of model " + model + " (models show " + model + " lists them)"));
                References refs = fromFile != null ? fromFile : ProductionWindow.sum(tx, versionId, w, segment, source);
                ReferenceStore.set(tx, versionId, refs, fromFile != null ? ReferenceOrigin.FILE : ReferenceOrigin.PRODUCTION_WINDOW, w, setBy);
                return refs;
            });
            report(set, w);
            return ExitCode.OK;
        } catch (JdbiException e) {
            if (String.valueOf(e.getMessage()).contains("_current")) {
                throw new UsageException("another references set for " + model + " " + version + " committed at the same time; nothing was written, run it again");
            }
            throw e;
        }
    }

    private void report(References set, ReferenceStore.Window w) throws Exception {
        if (json.enabled()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", model);
            body.put("version", version);
            body.put("origin", w == null ? ReferenceOrigin.FILE.column() : ReferenceOrigin.PRODUCTION_WINDOW.column());
            body.putAll(set.toJson());
            System.out.println(Json.MAPPER.writeValueAsString(body));
            return;
        }
        System.out.printf("reference of %s %s set from %s: %d feature histogram%s (%s)%s%n", model, version,
                w == null ? file : "production " + w.start() + ".." + w.end(), set.features().size(), set.features().size() == 1 ? "" : "s",
                String.join(", ", set.features().keySet()),
                set.calibration().map(c -> String.format(java.util.Locale.ROOT, "; calibration error %.4f", c.error())).orElse(""));
    }

    static ReferenceStore.Window window(String text) {
        int dots = text.indexOf("..");
        if (dots < 0) throw new UsageException("--from-window must be START..END, e.g. 2026-11-01T00:00:00Z..2026-11-08T00:00:00Z");
        try {
            Instant start = OffsetDateTime.parse(text.substring(0, dots).trim()).toInstant();
            Instant end = OffsetDateTime.parse(text.substring(dots + 2).trim()).toInstant();
            if (!start.isBefore(end)) throw new UsageException("--from-window: START must be before END");
            return new ReferenceStore.Window(start, end);
        } catch (DateTimeParseException e) {
            throw new UsageException("--from-window: " + e.getParsedString() + " is not an ISO-8601 timestamp with an offset");
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + " as JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
