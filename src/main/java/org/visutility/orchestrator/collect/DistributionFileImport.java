package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports a JSON Lines file of histograms (one item of POST /api/v1/distributions per line) in one
 * streaming pass: each line is validated by the same rules and streamed into the staging table with
 * COPY; if any line is invalid nothing is written and the bad lines are reported (up to a limit).
 */
public final class DistributionFileImport {
    private static final int READ_BUFFER_CHARS = 1 << 16;

    private final DistributionIngest ingest;

    public DistributionFileImport(DistributionIngest ingest) {
        this.ingest = ingest;
    }

    /**
     * Whether a JSON Lines file holds histograms rather than snapshots: its first non-blank line is
     * an object with both {@code feature} and {@code kind} (fields no snapshot has).
     */
    public static boolean holdsDistributions(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                try {
                    JsonNode node = JsonSnapshotReader.parse(line);
                    return node != null && node.isObject() && node.has("feature") && node.has("kind");
                } catch (IOException e) {
                    return false; // the snapshot import reports the bad line
                }
            }
        } catch (CharacterCodingException e) {
            return false;
        }
        return false;
    }

    /**
     * @throws InvalidSnapshotsException     with the bad lines; nothing was written
     * @throws DistributionConflictException with the conflicting lines; nothing was written
     */
    public IngestResult importFile(Path file) {
        return ingest.ingest(IngestChannel.FILE, file.toAbsolutePath().toString(), sink -> feed(file, sink));
    }

    private void feed(Path file, DistributionSink sink) throws IOException {
        List<Violation> reported = new ArrayList<>();
        List<Violation> scratch = new ArrayList<>();
        int invalid = 0;
        int valid = 0;
        try (BufferedReader reader = new BufferedReader(new StrictUtf8Reader(Files.newInputStream(file), READ_BUFFER_CHARS), READ_BUFFER_CHARS)) {
            int line = 0;
            while (true) {
                String text;
                try {
                    text = reader.readLine();
                } catch (CharacterCodingException e) {
                    invalid++;
                    reported.add(new Violation(line + 1, "line", "is not UTF-8 text; reading stopped here"));
                    break;
                }
                if (text == null) break;
                line++;
                if (line == 1 && text.startsWith("\uFEFF")) text = text.substring(1);
                if (text.isBlank()) continue;
                Distribution d = read(line, text, scratch);
                if (d == null) {
                    invalid++;
                    for (Violation v : scratch) if (reported.size() < SnapshotFileImport.MAX_REPORTED_VIOLATIONS) reported.add(v);
                    scratch.clear();
                    continue;
                }
                valid++;
                if (invalid == 0) sink.add(line, d);
            }
        }
        if (invalid == 0 && valid == 0) {
            reported.add(Violation.ofInput("file", "holds no histograms"));
            invalid++;
        }
        if (invalid > 0) throw new InvalidSnapshotsException(reported, invalid);
    }

    private Distribution read(int line, String text, List<Violation> out) {
        JsonNode node;
        try {
            node = JsonSnapshotReader.parse(text);
        } catch (IOException e) {
            out.add(new Violation(line, "line", "is not valid JSON: " + JsonSnapshotReader.parseError(e)));
            return null;
        }
        RawDistribution raw = JsonDistributionReader.read(line, node, out);
        return raw == null ? null : ingest.validator().validate(line, raw, out);
    }
}
