package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Imports a CSV or JSON Lines file of snapshots in one pass: each line is read, validated with the
 * same rules as HTTP batches and streamed into the staging table with COPY; if any line is invalid
 * the COPY is abandoned and nothing is written, and the bad lines are reported (up to a limit).
 */
public final class SnapshotFileImport {
    /** How many violations an invalid file reports, line by line; the rest are counted. */
    public static final int MAX_REPORTED_VIOLATIONS = 100;
    /** Files at least this large show progress. */
    public static final long PROGRESS_MIN_BYTES = 4L * 1024 * 1024;
    public static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final int READ_BUFFER_CHARS = 1 << 16;

    /** The file formats, told apart by the file name's extension. */
    public enum Format {
        CSV, JSON_LINES;

        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) return CSV;
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) return JSON_LINES;
            return null;
        }
    }

    private final SnapshotIngest ingest;
    private final Consumer<String> progress;

    /**
     * @param progress told how far a large file has been read (the command prints it on stderr)
     */
    public SnapshotFileImport(SnapshotIngest ingest, Consumer<String> progress) {
        this.ingest = ingest;
        this.progress = progress;
    }

    /**
     * @throws InvalidSnapshotsException with the bad lines; nothing was written
     * @throws SnapshotConflictException with the conflicting lines; nothing was written
     */
    public IngestResult importFile(Path file, Format format) {
        return ingest.ingest(IngestChannel.FILE, file.toAbsolutePath().toString(), sink -> feed(file, format, sink));
    }

    private void feed(Path file, Format format, SnapshotSink sink) throws IOException {
        long size = Files.size(file);
        Progress shown = new Progress(file, size);
        List<Violation> reported = new ArrayList<>();
        List<Violation> scratch = new ArrayList<>();
        int invalidLines = 0;
        int snapshots = 0;
        CsvSnapshotReader csv = null;
        boolean headerSeen = format != Format.CSV;
        SnapshotBatchValidator validator = ingest.validator();
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT)), READ_BUFFER_CHARS)) {
            int line = 0;
            while (true) {
                String text;
                try {
                    text = reader.readLine();
                } catch (CharacterCodingException e) {
                    invalidLines++;
                    report(reported, List.of(new Violation(line + 1, "line", "is not UTF-8 text; reading stopped here")));
                    break;
                }
                if (text == null) break;
                line++;
                if (line == 1 && text.startsWith("\uFEFF")) text = text.substring(1);
                if (text.isBlank()) continue;
                if (!headerSeen) {
                    headerSeen = true;
                    csv = CsvSnapshotReader.fromHeader(text, scratch);
                    if (csv == null) {
                        invalidLines++;
                        report(reported, scratch);
                        break; // without its header the rest of the file cannot be read
                    }
                    continue;
                }
                RawSnapshot raw = format == Format.CSV ? csv.read(line, text, scratch) : jsonLine(line, text, scratch);
                Snapshot s = raw == null ? null : validator.validate(line, raw, scratch);
                if (s != null) {
                    snapshots++;
                    if (invalidLines == 0) sink.add(line, s);
                } else {
                    invalidLines++;
                    report(reported, scratch);
                    scratch.clear();
                }
                shown.maybeTell(counted.count, line);
            }
        }
        if (!headerSeen) {
            reported.add(new Violation(1, "header", "is missing: the file is empty"));
            invalidLines++;
        } else if (invalidLines == 0 && snapshots == 0) {
            reported.add(Violation.ofInput("file", "holds no snapshots"));
            invalidLines++;
        }
        if (invalidLines > 0) throw new InvalidSnapshotsException(reported, invalidLines);
        shown.done(snapshots);
    }

    private static RawSnapshot jsonLine(int line, String text, List<Violation> out) {
        JsonNode node;
        try {
            node = JsonSnapshotReader.parse(text);
        } catch (IOException e) {
            out.add(new Violation(line, "line", "is not valid JSON: " + JsonSnapshotReader.parseError(e)));
            return null;
        }
        return JsonSnapshotReader.read(line, node, out);
    }

    private static void report(List<Violation> reported, List<Violation> found) {
        for (Violation v : found) {
            if (reported.size() < MAX_REPORTED_VIOLATIONS) reported.add(v);
        }
    }

    /** Tells how far a large file has been read, at most every {@link #PROGRESS_EVERY}. */
    private final class Progress {
        private final Path file;
        private final long size;
        private long lastNanos = System.nanoTime();

        Progress(Path file, long size) {
            this.file = file;
            this.size = size;
        }

        void maybeTell(long bytesRead, int line) {
            if (size < PROGRESS_MIN_BYTES || progress == null) return;
            long now = System.nanoTime();
            if (now - lastNanos < PROGRESS_EVERY.toNanos()) return;
            lastNanos = now;
            progress.accept(String.format(Locale.ROOT, "ingest: %d%% of %s read (%,d lines)", Math.min(100, bytesRead * 100 / size),
                    file.getFileName(), line));
        }

        void done(int snapshots) {
            if (size < PROGRESS_MIN_BYTES || progress == null) return;
            progress.accept(String.format(Locale.ROOT, "ingest: %s read; writing %,d snapshots", file.getFileName(), snapshots));
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
