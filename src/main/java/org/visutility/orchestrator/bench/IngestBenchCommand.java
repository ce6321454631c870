package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "ingest", mixinStandardHelpOptions = true, description = {
        "Load N snapshots (3 metrics each) three ways into a scratch database on the configured server (dropped afterwards):"
                + " a raw COPY into the snapshot tables (the baseline), HTTP batches of 1000 to an in-process node, and the file"
                + " import; print rows per second for each and the ratios against the baseline (goals: HTTP >= 0.5, file >= 0.8)."})
public final class IngestBenchCommand implements Callable<Integer> {
    private static final int MAX_SENDERS = 64;

    @Mixin
    ConfigOption config;

    @Option(names = "--snapshots", paramLabel = "N", description = "how many snapshots (default ${DEFAULT-VALUE})")
    int snapshots = IngestBenchmark.DEFAULT_SNAPSHOTS;

    @Option(names = "--senders", paramLabel = "K", description = "concurrent HTTP clients (default ${DEFAULT-VALUE})")
    int senders = IngestBenchmark.DEFAULT_SENDERS;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (snapshots < IngestBenchmark.HTTP_BATCH) throw new UsageException("--snapshots must be at least " + IngestBenchmark.HTTP_BATCH);
        if (senders < 1 || senders > MAX_SENDERS) throw new UsageException("--senders must be 1-" + MAX_SENDERS);
        PrintStream out = System.out;
        IngestBenchmark.Report r = new IngestBenchmark(System.err::println).run(config.load(), snapshots, senders);
        if (json.enabled()) {
            out.println(Json.MAPPER.writeValueAsString(r.toJson()));
            return ExitCode.OK;
        }
        out.printf(Locale.ROOT, "bench ingest: %,d snapshots x %d metrics, %s%n", r.snapshots(), IngestBenchmark.METRICS.size(), r.database());
        line(out, "raw COPY (baseline)", r.copy(), null, 0);
        line(out, "HTTP (batches of " + IngestBenchmark.HTTP_BATCH + ", " + r.senders() + " senders)", r.http(), r.httpRatio(),
                IngestBenchmark.HTTP_GOAL);
        line(out, "file import (CSV)", r.file(), r.fileRatio(), IngestBenchmark.FILE_GOAL);
        return ExitCode.OK;
    }

    private static void line(PrintStream out, String name, IngestBenchmark.Phase p, Double ratio, double goal) {
        String tail = ratio == null ? "" : String.format(Locale.ROOT, "  ratio %.2f x COPY (goal >= %.1f: %s)", ratio, goal,
                ratio >= goal ? "met" : "MISSED");
        out.printf(Locale.ROOT, "  %-36s %8.2f s %,10.0f rows/s%s%n", name, p.seconds(), p.rowsPerSecond(), tail);
    }
}
