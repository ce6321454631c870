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
                + " import; print rows per second for each and the ratios against the baseline (goals: HTTP >= 0.9, file >= 0.95), each path a warm-up then --repetitions rounds (min, median, max)."})
public final class IngestBenchCommand implements Callable<Integer> {
    private static final int MAX_SENDERS = 64;
    private static final int MAX_SNAPSHOTS = 5_000_000;
    private static final int MAX_REPETITIONS = 20;

    @Mixin
    ConfigOption config;

    @Option(names = "--snapshots", paramLabel = "N", description = "how many snapshots (default ${DEFAULT-VALUE})")
    int snapshots = IngestBenchmark.DEFAULT_SNAPSHOTS;

    @Option(names = "--senders", paramLabel = "K", description = "concurrent HTTP clients (default ${DEFAULT-VALUE})")
    int senders = IngestBenchmark.DEFAULT_SENDERS;

    @Option(names = "--repetitions", paramLabel = "R", description = "measured rounds of the three paths after the warm-up (default ${DEFAULT-VALUE})")
    int repetitions = Repetitions.MIN_REPETITIONS;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (snapshots < IngestBenchmark.HTTP_BATCH || snapshots > MAX_SNAPSHOTS) {
            throw new UsageException("--snapshots must be from " + IngestBenchmark.HTTP_BATCH + " to " + MAX_SNAPSHOTS);
        }
        if (senders < 1 || senders > MAX_SENDERS) throw new UsageException("--senders must be 1-" + MAX_SENDERS);
        if (repetitions < Repetitions.MIN_REPETITIONS || repetitions > MAX_REPETITIONS) {
            throw new UsageException("--repetitions must be from " + Repetitions.MIN_REPETITIONS + " to " + MAX_REPETITIONS);
        }
        PrintStream out = System.out;
        IngestBenchmark.Report r = new IngestBenchmark(System.err::println).run(config.load(), snapshots, senders, repetitions);
        if (json.enabled()) {
            out.println(Json.MAPPER.writeValueAsString(r.toJson()));
            return ExitCode.OK;
        }
        out.printf(Locale.ROOT, "bench ingest: %,d snapshots x %d metrics, %s; warm-up %,d snapshots per path%n", r.snapshots(),
                IngestBenchmark.METRICS.size(), r.database(), r.warmUpSnapshots());
        out.print("  " + r.machine().text());
        line(out, "raw COPY (baseline)", r.copy(), null, 0);
        line(out, "HTTP (batches of " + IngestBenchmark.HTTP_BATCH + ", " + r.senders() + " senders)", r.http(), r.httpRatio(),
                IngestBenchmark.HTTP_GOAL);
        line(out, "file import (CSV)", r.file(), r.fileRatio(), IngestBenchmark.FILE_GOAL);
        return ExitCode.OK;
    }

    private static void line(PrintStream out, String name, Repetitions rowsPerSecond, Repetitions ratio, double goal) {
        out.printf(Locale.ROOT, "  %-36s %s%n", name, rowsPerSecond.text());
        if (ratio != null) {
            out.printf(Locale.ROOT, "  %-36s ratio to COPY %s (goal >= %.2f: %s)%n", "", ratio.text(), goal,
                    ratio.median() >= goal ? "met" : "MISSED");
        }
    }
}
