package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.collect.SnapshotIngestRoute;
import org.visutility.orchestrator.collect.CollectModule;
import org.visutility.orchestrator.collect.SnapshotBatchValidator;
import org.visutility.orchestrator.collect.IngestResult;
import org.visutility.orchestrator.collect.SnapshotPartitions;
import org.visutility.orchestrator.collect.Snapshot;
import org.visutility.orchestrator.collect.SnapshotIngest;
import org.visutility.orchestrator.collect.SnapshotFileImport;
import org.visutility.orchestrator.collect.IngestListeners;
import org.visutility.orchestrator.collect.CsvSnapshotReader;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@code orchestrator bench ingest}: the same N snapshots loaded three ways into one scratch
 * database on the configured server, each phase starting from empty snapshot tables: a raw COPY
 * straight into metric_snapshot and metric_value (the baseline: no validation, no idempotency),
 * HTTP batches of 1000 to an in-process node, and the file import. Each path is warmed up first,
 * with as many snapshots as a repetition (at most 20,000). Autovacuum is off on the tables the
 * phases write, so that no phase pays for a vacuum of rows an earlier one wrote (and emptied).
 */
public final class IngestBenchmark {
    public static final int DEFAULT_SNAPSHOTS = 200_000;
    public static final int DEFAULT_SENDERS = 4;
    public static final int HTTP_BATCH = SnapshotBatchValidator.MAX_SNAPSHOTS_PER_BATCH;
    public static final double HTTP_GOAL = 0.9;
    public static final double FILE_GOAL = 0.95;
    static final int MODELS = 20;
    static final String VERSION = "v1";
    static final List<String> METRICS = List.of("accuracy", "precision", "latency_ms");
    static final String SCRATCH_SUFFIX = "_bench";
    static final int MAX_WARM_UP = 20_000;
    private static final long SEED = 42;

    /** One measured phase. */
    public record Phase(String name, int snapshots, double seconds) {
        public double rowsPerSecond() {
            return snapshots / seconds;
        }
    }

    /**
     * The run's figures: snapshots per second of each path, the warm-up (at the warm-up's size) apart
     * from the repetitions, and each path's ratio to the raw COPY of the same repetition.
     */
    public record Report(int snapshots, int senders, String database, int warmUpSnapshots, Repetitions copy,
                         Repetitions http, Repetitions file, MachineFacts machine) {
        public Repetitions httpRatio() {
            return http.over(copy);
        }

        public Repetitions fileRatio() {
            return file.over(copy);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bench", "ingest");
            out.put("snapshots", snapshots);
            out.put("metrics_per_snapshot", METRICS.size());
            out.put("warm_up_snapshots", warmUpSnapshots);
            out.put("database", database);
            out.put("machine", machine.toJson());
            out.put("copy", phase(copy, null, null));
            out.put("http", phase(http, httpRatio(), HTTP_GOAL));
            out.put("http_batch", HTTP_BATCH);
            out.put("http_senders", senders);
            out.put("file", phase(file, fileRatio(), FILE_GOAL));
            return out;
        }

        private static Map<String, Object> phase(Repetitions rowsPerSecond, Repetitions ratio, Double goal) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows_per_second", rowsPerSecond.toJson());
            if (ratio != null) {
                m.put("ratio", ratio.toJson());
                m.put("goal", goal);
                m.put("met", ratio.median() >= goal);
            }
            return m;
        }
    }

    private final Consumer<String> log;

    public IngestBenchmark(Consumer<String> log) {
        this.log = log;
    }

    public Report run(OrchestratorConfig config, int snapshots, int senders, int repetitions) throws Exception {
        try (Database server = DatabaseConnector.open(config);
             ScratchDatabase scratch = ScratchDatabase.create(server, ScratchDatabase.nameBeside(server.jdbcUrl(), SCRATCH_SUFFIX), 2, false)) {
            MachineFacts machine = MachineFacts.measuredOnScratch(scratch.jdbi(), Repetitions.MIN_REPETITIONS);
            log.accept(machine.text().strip());
            CollectModule module = new CollectModule();
            try (Node node = Node.start(config.withDatabase(scratch.url(), server.username(), server.password()).withHttpPort(0),
                    List.of(module))) {
                return measure(config, node, snapshots, senders, repetitions, machine,
                        "scratch database " + scratch.name() + " beside " + server.description());
            }
        }
    }

    private Report measure(OrchestratorConfig config, Node node, int n, int senders, int repetitions, MachineFacts machine,
                           String where) throws Exception {
        SnapshotIngest ingest = new SnapshotIngest(node.database().jdbi(), config.ingest(), new IngestListeners());
        String token = config.ingestTokens().isEmpty() ? null : config.ingestTokens().get(0);
        URI endpoint = URI.create("http://127.0.0.1:" + node.httpPort() + SnapshotIngestRoute.PATH);
        List<Snapshot> data = generate(n, "bench");
        int warmupCount = warmUpSnapshots(n);
        List<Snapshot> warmup = generate(warmupCount, "warmup");
        Path dir = Files.createTempDirectory("orchestrator-bench-");
        try {
            Path dataFile = writeCsv(dir.resolve("bench.csv"), data);
            Path warmupFile = writeCsv(dir.resolve("warmup.csv"), warmup);
            try (Handle h = node.database().jdbi().open()) {
                Set<YearMonth> months = new HashSet<>();
                for (Snapshot s : data) months.add(YearMonth.from(s.observedAt().atOffset(ZoneOffset.UTC)));
                for (Snapshot s : warmup) months.add(YearMonth.from(s.observedAt().atOffset(ZoneOffset.UTC)));
                new SnapshotPartitions(config.ingest().maxNewPartitions()).ensure(h, months);
                h.execute(SqlFiles.load(IngestBenchmark.class, "BenchHoldAutovacuum"));
            }
            log.accept(String.format("bench ingest: warming up each path with %,d snapshots", warmupCount));
            // HTTP first: it registers the models the raw COPY writes for
            double warmHttp = rate(http(endpoint, token, warmup, senders), node, warmupCount);
            double warmFile = rate(file(ingest, warmupFile, warmupCount), node, warmupCount);
            double warmCopy = rate(rawCopy(node, warmup), node, warmupCount);
            double[] copy = new double[repetitions];
            double[] http = new double[repetitions];
            double[] file = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                log.accept(String.format("bench ingest: repetition %d of %d: raw COPY (baseline), HTTP (%,d batches of %d, %d senders),"
                        + " file import of %s (%,d bytes)", r + 1, repetitions, (n + HTTP_BATCH - 1) / HTTP_BATCH, HTTP_BATCH, senders,
                        dataFile.getFileName(), Files.size(dataFile)));
                copy[r] = rate(rawCopy(node, data), node, n);
                http[r] = rate(http(endpoint, token, data, senders), node, n);
                file[r] = rate(file(ingest, dataFile, n), node, n);
            }
            return new Report(n, senders, where, warmupCount, new Repetitions("rows/s", warmCopy, copy),
                    new Repetitions("rows/s", warmHttp, http), new Repetitions("rows/s", warmFile, file), machine);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Each path's warm-up: as many snapshots as a repetition, at most {@link #MAX_WARM_UP}. A serving
     * node has long compiled its ingest path; a warm-up of a tenth (2,000 snapshots, two HTTP batches,
     * at 20,000) left the first repetitions of the HTTP path in the interpreter while the baseline's
     * work is all in the database server.
     */
    static int warmUpSnapshots(int n) {
        return Math.max(HTTP_BATCH, Math.min(n, MAX_WARM_UP));
    }

    /** Rows per second of a phase that loaded {@code n} snapshots, checked and then emptied again for the next phase. */
    private static double rate(Phase p, Node node, int n) {
        verify(node, n, p.name());
        reset(node);
        return p.rowsPerSecond();
    }

    private static Phase http(URI endpoint, String token, List<Snapshot> data, int senders) throws Exception {
        List<byte[]> bodies = bodies(data);
        long t0 = System.nanoTime();
        postAll(endpoint, token, bodies, senders);
        return new Phase("http", data.size(), seconds(t0));
    }

    private static Phase file(SnapshotIngest ingest, Path csv, int n) throws Exception {
        long t0 = System.nanoTime();
        IngestResult r = new SnapshotFileImport(ingest, null).importFile(csv, SnapshotFileImport.Format.CSV);
        Phase file = new Phase("file", n, seconds(t0));
        if (r.inserted() != n) throw new IllegalStateException("file import inserted " + r.inserted() + " of " + n);
        return file;
    }

    /** Deterministic snapshots: MODELS models, one minute apart per model, ending an hour ago. */
    static List<Snapshot> generate(int n, String source) {
        Random random = new Random(SEED);
        int perModel = (n + MODELS - 1) / MODELS;
        Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(perModel + 60L, ChronoUnit.MINUTES);
        List<Snapshot> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put(METRICS.get(0), 0.80 + random.nextDouble() * 0.2);
            metrics.put(METRICS.get(1), 0.70 + random.nextDouble() * 0.3);
            metrics.put(METRICS.get(2), 5 + random.nextDouble() * 100);
            out.add(new Snapshot("bench-" + (i % MODELS), VERSION, first.plus(i / MODELS, ChronoUnit.MINUTES),
                    1000 + random.nextInt(9000), "", source, metrics));
        }
        return out;
    }

    private static Path writeCsv(Path file, List<Snapshot> data) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", CsvSnapshotReader.LEADING_COLUMNS) + "," + String.join(",", METRICS) + "\n");
            StringBuilder line = new StringBuilder(160);
            for (Snapshot s : data) {
                line.setLength(0);
                line.append(s.model()).append(',').append(s.version()).append(',').append(s.observedAt()).append(',')
                        .append(s.sampleCount()).append(',').append(s.segment()).append(',').append(s.source());
                for (String m : METRICS) line.append(',').append(s.metrics().get(m));
                w.write(line.append('\n').toString());
            }
        }
        return file;
    }

    private static List<byte[]> bodies(List<Snapshot> data) throws IOException {
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < data.size(); from += HTTP_BATCH) {
            List<Map<String, Object>> items = new ArrayList<>(HTTP_BATCH);
            for (Snapshot s : data.subList(from, Math.min(data.size(), from + HTTP_BATCH))) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("model", s.model());
                item.put("version", s.version());
                item.put("observed_at", s.observedAt().toString());
                item.put("sample_count", s.sampleCount());
                item.put("source", s.source());
                item.put("metrics", s.metrics());
                items.add(item);
            }
            bodies.add(Json.MAPPER.writeValueAsBytes(Map.of("snapshots", items)));
        }
        return bodies;
    }

    /** Sends every body with {@code senders} concurrent clients; fails unless every batch is accepted whole. */
    private static void postAll(URI endpoint, String token, List<byte[]> bodies, int senders) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (byte[] body : bodies) {
                sent.add(pool.submit(() -> {
                    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    if (token != null) request.header("Authorization", "Bearer " + token);
                    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("POST " + endpoint + " answered " + response.statusCode() + ": " + response.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    /** The baseline: the same rows COPYed straight into both tables in one transaction (payload built beforehand). */
    private static Phase rawCopy(Node node, List<Snapshot> data) throws Exception {
        byte[] snapshots;
        byte[] values;
        try (Handle h = node.database().jdbi().open()) {
            Map<String, long[]> ids = new HashMap<>();
            h.createQuery(SqlFiles.load(IngestBenchmark.class, "BenchModelVersions")).bind("version", VERSION)
                    .map((rs, ctx) -> ids.put(rs.getString("name"), new long[] {rs.getLong("model_id"), rs.getLong("version_id")}))
                    .list();
            long last = h.createQuery(SqlFiles.load(IngestBenchmark.class, "BenchReserveSnapshotIds")).bind("count", data.size()).mapTo(Long.class).one();
            long id = last - data.size() + 1;
            StringBuilder s = new StringBuilder(data.size() * 120);
            StringBuilder v = new StringBuilder(data.size() * 180);
            for (Snapshot x : data) {
                long[] mv = ids.get(x.model());
                if (mv == null) throw new IllegalStateException("model " + x.model() + " is not registered");
                s.append(id).append('\t').append(mv[0]).append('\t').append(mv[1]).append('\t').append(x.observedAt()).append('\t')
                        .append(x.segment()).append('\t').append(x.source()).append('\t').append(x.sampleCount()).append('\t')
                        .append(Json.MAPPER.writeValueAsString(x.metrics())).append('\n');
                for (Map.Entry<String, Double> m : x.metrics().entrySet()) {
                    v.append(id).append('\t').append(x.observedAt()).append('\t').append(mv[0]).append('\t').append(mv[1]).append('\t')
                            .append(m.getKey()).append('\t').append(m.getValue()).append('\t').append(x.sampleCount()).append('\n');
                }
                id++;
            }
            snapshots = s.toString().getBytes(StandardCharsets.UTF_8);
            values = v.toString().getBytes(StandardCharsets.UTF_8);
        }
        try (Handle h = node.database().jdbi().open()) {
            CopyManager copy = h.getConnection().unwrap(PGConnection.class).getCopyAPI();
            long t0 = System.nanoTime();
            h.useTransaction(tx -> {
                copy.copyIn(SqlFiles.load(IngestBenchmark.class, "BenchCopySnapshots"), new ByteArrayInputStream(snapshots));
                copy.copyIn(SqlFiles.load(IngestBenchmark.class, "BenchCopyMetricValues"), new ByteArrayInputStream(values));
            });
            return new Phase("copy", data.size(), seconds(t0));
        }
    }

    private static void verify(Node node, int n, String phase) {
        Map<String, Object> counts = node.database().jdbi().withHandle(h -> h.createQuery(SqlFiles.load(IngestBenchmark.class, "BenchCountRows")).mapToMap().one());
        long snapshots = ((Number) counts.get("snapshots")).longValue();
        long values = ((Number) counts.get("metric_values")).longValue();
        if (snapshots != n || values != (long) n * METRICS.size()) {
            throw new IllegalStateException(phase + " left " + snapshots + " snapshots and " + values + " metric values; expected "
                    + n + " and " + (long) n * METRICS.size());
        }
    }

    /** Empties the snapshot tables and flushes dirty pages, so that no phase pays for the one before. */
    private static void reset(Node node) {
        node.database().jdbi().useHandle(h -> {
            h.execute(SqlFiles.load(IngestBenchmark.class, "BenchResetSnapshotTables"));
            try {
                h.execute("CHECKPOINT");
            } catch (RuntimeException e) {
                // CHECKPOINT needs superuser or pg_checkpoint; without it the phases still start from empty tables
            }
        });
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

}
