package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.core.CsvRows;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Imports a CSV or JSON Lines file of snapshots in one streaming pass: each CSV row (RFC 4180: a
 * quoted cell may span lines) or JSON line is read, validated with the same rules as HTTP batches
 * and streamed into the staging table with COPY; if any line is invalid the COPY is abandoned and
 * nothing is written, and the bad lines are reported (up to a limit) by the line they start on.
 */
public final class SnapshotFileImport {
    /** How many violations an invalid file reports, line by line; the rest are counted. */
    public static final int MAX_REPORTED_VIOLATIONS = 100;
    /** Files at least this large show progress. */
    public static final long PROGRESS_MIN_BYTES = 4L * 1024 * 1024;
    public static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final int READ_BUFFER_CHARS = 1 << 16;
    /**
     * A CSV row (a line, or more when a quoted cell spans lines) longer than this is refused: far above
     * any valid snapshot (at most 100 metrics), it keeps a stray quote from making one cell of a whole file.
     */
    public static final long MAX_CSV_ROW_CHARS = 1L << 20;
    /** How often (in snapshots) the sink is told how many more the file likely holds. */
    static final int ESTIMATE_EVERY = 250;

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
        return importFile(file, format, RevisionRules.REJECT);
    }

    /** @param rules what a changed value for a stored key does ({@code ingest --on-changed-value}) */
    public IngestResult importFile(Path file, Format format, RevisionRules rules) {
        return ingest.ingest(IngestChannel.FILE, file.toAbsolutePath().toString(), SnapshotSource.feedsAgain(sink -> feed(file, format, sink)), rules);
    }

    private void feed(Path file, Format format, SnapshotSink sink) throws IOException {
        long size = Files.size(file);
        Progress shown = new Progress(file, size);
        Tally tally = new Tally(ingest.validator(), sink);
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
             BufferedReader reader = new BufferedReader(new StrictUtf8Reader(counted, READ_BUFFER_CHARS), READ_BUFFER_CHARS)) {
            if (format == Format.CSV) {
                feedCsv(reader, counted, shown, tally, size);
            } else {
                feedJsonLines(reader, counted, shown, tally);
            }
        }
        if (tally.invalidLines == 0 && tally.snapshots == 0) {
            tally.reported.add(Violation.ofInput("file", "holds no snapshots"));
            tally.invalidLines++;
        }
        if (tally.invalidLines > 0) throw new InvalidSnapshotsException(tally.reported, tally.invalidLines);
        shown.done(tally.snapshots);
    }

    /**
     * The first non-blank row is the header; each further row (RFC 4180: a quoted cell may span
     * lines) is one snapshot, reported by the line it starts on.
     */
    private static void feedCsv(Reader reader, CountingInputStream counted, Progress shown, Tally tally, long size) throws IOException {
        List<Violation> scratch = new ArrayList<>();
        CsvSnapshotReader csv = null;
        CsvRows rows = null;
        try {
            rows = new CsvRows(reader, CsvRows.Spaces.KEPT, MAX_CSV_ROW_CHARS);
            for (CsvRows.Row row; (row = rows.next()) != null; ) {
                if (row.isBlank()) continue;
                if (csv == null) {
                    csv = CsvSnapshotReader.fromHeader(row.line(), row.cells(), scratch);
                    if (csv == null) {
                        tally.invalid(scratch);
                        return; // without its header the rest of the file cannot be read
                    }
                    continue;
                }
                tally.take(row.line(), csv.read(row.line(), row.cells(), scratch), scratch);
                // the parser's characters, not the bytes read ahead of it: a closer estimate (UTF-8 text is mostly ASCII)
                tally.estimateRest(rows.charsRead(), size);
                shown.maybeTell(counted.count, row.line());
            }
        } catch (CsvRows.MalformedCsvException e) {
            tally.invalid(List.of(new Violation(e.line(), "line", e.problem() + "; reading stopped here")));
            return;
        } catch (CharacterCodingException e) {
            tally.invalid(List.of(new Violation(rows == null ? 1 : rows.rowLine(), "line", "is not UTF-8 text; reading stopped here")));
            return;
        } finally {
            if (rows != null) rows.close();
        }
        if (csv == null) tally.invalid(List.of(new Violation(1, "header", "is missing: the file is empty")));
    }

    private static void feedJsonLines(BufferedReader reader, CountingInputStream counted, Progress shown, Tally tally) throws IOException {
        List<Violation> scratch = new ArrayList<>();
        int line = 0;
        while (true) {
            String text;
            try {
                text = reader.readLine();
            } catch (CharacterCodingException e) {
                tally.invalid(List.of(new Violation(line + 1, "line", "is not UTF-8 text; reading stopped here")));
                return;
            }
            if (text == null) return;
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) text = text.substring(1);
            if (text.isBlank()) continue;
            tally.take(line, jsonLine(line, text, scratch), scratch);
            shown.maybeTell(counted.count, line);
        }
    }

    /** What a file held so far: its valid snapshots go to the sink until the first invalid line. */
    private static final class Tally {
        private final SnapshotBatchValidator validator;
        private final SnapshotSink sink;
        final List<Violation> reported = new ArrayList<>();
        int invalidLines;
        int snapshots;

        Tally(SnapshotBatchValidator validator, SnapshotSink sink) {
            this.validator = validator;
            this.sink = sink;
        }

        /** @param raw the line as read, or null when it could not be (its violations are in {@code scratch}) */
        void take(int line, RawSnapshot raw, List<Violation> scratch) {
            Snapshot s = raw == null ? null : validator.validate(line, raw, scratch);
            if (s != null) {
                snapshots++;
                if (invalidLines == 0) sink.add(line, s);
            } else {
                invalid(scratch);
                scratch.clear();
            }
        }

        /**
         * Tells the sink how many more snapshots the file likely holds, from how far into it the
         * snapshots so far took: the rest at the same bytes per snapshot. Not for a file of unknown
         * size (a pipe), nor once the file is known to be invalid (nothing will be written).
         */
        void estimateRest(long bytesRead, long size) {
            if (snapshots % ESTIMATE_EVERY != 0 || invalidLines > 0 || bytesRead <= 0 || size <= bytesRead) return;
            sink.expectMore((int) Math.min(Integer.MAX_VALUE, snapshots * (size - bytesRead) / bytesRead));
        }

        void invalid(List<Violation> found) {
            invalidLines++;
            report(reported, found);
        }
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
