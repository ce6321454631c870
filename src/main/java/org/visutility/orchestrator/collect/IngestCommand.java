package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.config.OnChangedValue;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "ingest", mixinStandardHelpOptions = true, description = {
        "Import metric snapshots from a CSV file (model,version,observed_at,sample_count,segment,source, then one column per metric)"
                + " or a JSON Lines file (one snapshot object per line), or histograms from a JSON Lines file (one item of"
                + " POST /api/v1/distributions per line: with --distributions, or found by the first line's feature and kind fields).",
        "The whole file is validated and written in one transaction: an invalid file is reported line by line, nothing is"
                + " written and the exit status is 2. Snapshots already stored with the same values count as duplicates;"
                + " a stored key with different values is a conflict (exit 2), or with --on-changed-value revise a new revision."})
public final class IngestCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "FILE", description = "the file to import (.csv, or .jsonl/.ndjson/.json for JSON Lines)")
    Path file;

    @Option(names = "--format", paramLabel = "csv|jsonl", description = "the file's format (default: from its name)")
    String format;

    @Option(names = "--on-changed-value", paramLabel = "reject|revise", defaultValue = "reject",
            description = "what a snapshot whose key is stored with different values does: reject (default) fails the import"
                    + " and writes nothing; revise stores it as the key's next revision, the earlier one marked superseded")
    String onChangedValue;

    @Option(names = "--distributions", description = "the file is JSON Lines of histograms (model, version, observed_at, segment, source,"
            + " feature, kind, bins, counts); without it a JSON Lines file whose first line has feature and kind is read as histograms")
    boolean distributions;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UsageException("cannot read " + file + ": no such file, or not readable");
        }
        SnapshotFileImport.Format f = format();
        if (distributions && f != SnapshotFileImport.Format.JSON_LINES) {
            throw new UsageException("--distributions reads JSON Lines only (one histogram per line); " + file + " is CSV");
        }
        if (distributions || (f == SnapshotFileImport.Format.JSON_LINES && DistributionFileImport.holdsDistributions(file))) {
            if (!"reject".equals(onChangedValue)) {
                throw new UsageException("--on-changed-value applies to snapshots only: histograms are never revised");
            }
            return importDistributions();
        }
        OnChangedValue onChanged = OnChangedValue.of(onChangedValue);
        if (onChanged == null) throw new UsageException("--on-changed-value must be reject or revise, got '" + onChangedValue + "'");
        OrchestratorConfig cfg = config.load();
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (Database db = DatabaseConnector.open(cfg)) {
            new Migrations(db.dataSource()).migrate();
            SnapshotIngest ingest = new SnapshotIngest(db.jdbi(), cfg.ingest(), new IngestListeners());
            long start = System.nanoTime();
            try {
                IngestResult r = new SnapshotFileImport(ingest, err::println).importFile(file, f, RevisionRules.of(onChanged));
                double seconds = (System.nanoTime() - start) / 1e9;
                if (json.enabled()) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("file", file.toString());
                    body.put("status", "ok");
                    body.putAll(r.toJson());
                    body.put("seconds", Math.round(seconds * 1000) / 1000.0);
                    out.println(Json.MAPPER.writeValueAsString(body));
                } else {
                    // the revised count only where revisions can happen: a reject import's line reads as it always did
                    String revised = onChanged == OnChangedValue.REVISE ? String.format(Locale.ROOT, "%,d revised, ", r.revised()) : "";
                    out.printf(Locale.ROOT, "imported %s: %,d snapshots, %,d inserted, %s%,d duplicate%s in %.2f s%n", file,
                            r.snapshots(), r.inserted(), revised, r.duplicate(), r.batchId() == null ? "" : " (batch " + r.batchId() + ")",
                            seconds);
                }
                return ExitCode.OK;
            } catch (InvalidSnapshotsException e) {
                reportInvalid(e, out, err);
                return ExitCode.USAGE;
            } catch (SnapshotConflictException e) {
                reportConflicts(e, out, err);
                return ExitCode.USAGE;
            }
        }
    }

    private Integer importDistributions() throws Exception {
        OrchestratorConfig cfg = config.load();
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (Database db = DatabaseConnector.open(cfg)) {
            new Migrations(db.dataSource()).migrate();
            long start = System.nanoTime();
            try {
                IngestResult r = new DistributionFileImport(new DistributionIngest(db.jdbi(), cfg.ingest())).importFile(file);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (json.enabled()) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("file", file.toString());
                    body.put("status", "ok");
                    body.putAll(r.toJson(DistributionBatchValidator.ITEMS));
                    body.put("seconds", Math.round(seconds * 1000) / 1000.0);
                    out.println(Json.MAPPER.writeValueAsString(body));
                } else {
                    out.printf(Locale.ROOT, "imported %s: %,d histograms, %,d inserted, %,d duplicate%s in %.2f s%n", file,
                            r.snapshots(), r.inserted(), r.duplicate(), r.batchId() == null ? "" : " (batch " + r.batchId() + ")", seconds);
                }
                return ExitCode.OK;
            } catch (InvalidSnapshotsException e) {
                reportInvalid(e, out, err);
                return ExitCode.USAGE;
            } catch (DistributionConflictException e) {
                if (json.enabled()) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("file", file.toString());
                    body.put("status", "conflict");
                    body.put("error", file + " conflicts with stored histograms; nothing was written");
                    body.put("exit_code", ExitCode.USAGE);
                    body.put("conflicts", IngestReports.distributionConflicts(e.conflicts(), "line"));
                    out.println(Json.MAPPER.writeValueAsString(body));
                } else {
                    err.printf("orchestrator: %s conflicts with stored histograms (distributions are never revised); nothing was written%n", file);
                    e.conflicts().stream().limit(SnapshotFileImport.MAX_REPORTED_VIOLATIONS)
                            .forEach(c -> err.println("  " + IngestReports.line(c, "line")));
                }
                return ExitCode.USAGE;
            }
        }
    }

    private SnapshotFileImport.Format format() {
        if (format == null) {
            SnapshotFileImport.Format f = SnapshotFileImport.Format.of(file);
            if (f == null) throw new UsageException("cannot tell the format of " + file + " from its name; name it .csv or .jsonl, or pass --format");
            return f;
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> SnapshotFileImport.Format.CSV;
            case "jsonl", "ndjson", "json" -> SnapshotFileImport.Format.JSON_LINES;
            default -> throw new UsageException("--format must be csv or jsonl, got '" + format + "'");
        };
    }

    private void reportInvalid(InvalidSnapshotsException e, PrintStream out, PrintStream err) throws Exception {
        if (json.enabled()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("file", file.toString());
            body.put("status", "invalid");
            body.put("error", String.format(Locale.ROOT, "%s is invalid: %,d line(s) break the rules; nothing was written", file, e.invalidItems()));
            body.put("exit_code", ExitCode.USAGE);
            body.put("invalid_lines", e.invalidItems());
            body.put("violations", IngestReports.violations(e.violations(), "line"));
            out.println(Json.MAPPER.writeValueAsString(body));
            return;
        }
        err.printf("orchestrator: %s is invalid: %,d line(s) break the rules; nothing was written%n", file, e.invalidItems());
        for (Violation v : e.violations()) err.println("  " + IngestReports.line(v, "line"));
        long listed = e.violations().stream().mapToInt(Violation::position).distinct().count();
        if (e.invalidItems() > listed) err.printf("  ... and %,d more invalid line(s)%n", e.invalidItems() - listed);
    }

    private void reportConflicts(SnapshotConflictException e, PrintStream out, PrintStream err) throws Exception {
        if (json.enabled()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("file", file.toString());
            body.put("status", "conflict");
            body.put("error", file + " conflicts with stored snapshots; nothing was written");
            body.put("exit_code", ExitCode.USAGE);
            body.put("conflicts", IngestReports.conflicts(e.conflicts(), "line"));
            out.println(Json.MAPPER.writeValueAsString(body));
            return;
        }
        err.printf("orchestrator: %s conflicts with stored snapshots; nothing was written%n", file);
        e.conflicts().stream().limit(SnapshotFileImport.MAX_REPORTED_VIOLATIONS)
                .forEach(c -> err.println("  " + IngestReports.line(c, "line")));
        if (e.conflicts().size() > SnapshotFileImport.MAX_REPORTED_VIOLATIONS) {
            err.printf("  ... and more conflicting lines%n");
        }
    }
}
