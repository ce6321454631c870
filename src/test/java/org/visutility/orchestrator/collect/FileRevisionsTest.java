package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.app.Main;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.Snapshots.Counts;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchestrator ingest FILE --on-changed-value reject|revise}, and the final column of CSV files. */
@ExtendWith(PostgresExtension.class)
class FileRevisionsTest {
    private static final String HEADER = "model,version,observed_at,sample_count,segment,source,accuracy,final\n";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;
    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private int ingest(TestDatabase db, String... args) {
        out.reset();
        err.reset();
        String[] all = new String[args.length + 1];
        all[0] = "ingest";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(db.environment(Map.of()), all);
    }

    private static List<Map<String, Object>> revisions(TestDatabase db, String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT revision, is_current, sample_count, settled_at IS NOT NULL AS settled, channel
                  FROM lineage.snapshot_revisions WHERE model = :m ORDER BY observed_at, revision""").bind("m", model).mapToMap().list());
    }

    @Test
    void aFileWithAChangedValueIsRejectedByDefaultAndRevisesWithOnChangedValueRevise(TestDatabase db) throws Exception {
        Path first = dir.resolve("first.csv");
        Files.writeString(first, HEADER + "file-rev,v1,2026-01-05T10:00:00Z,5000,,warehouse,0.91,false\n");
        assertThat(ingest(db, first.toString(), "--on-changed-value", "revise")).isEqualTo(ExitCode.OK);
        Path corrected = dir.resolve("corrected.csv");
        Files.writeString(corrected, HEADER + "file-rev,v1,2026-01-05T10:00:00Z,5200,,warehouse,0.89,true\n");
        Counts before = Counts.of(db.jdbi());

        assertThat(ingest(db, corrected.toString())).as("reject is the default").isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 2: conflict on model=file-rev");
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);

        assertThat(ingest(db, corrected.toString(), "--on-changed-value", "revise")).isEqualTo(ExitCode.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 snapshots, 0 inserted, 1 revised, 0 duplicate");
        List<Map<String, Object>> rows = revisions(db, "file-rev");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("revision", 1).containsEntry("is_current", false).containsEntry("settled", false);
        assertThat(rows.get(1)).containsEntry("revision", 2).containsEntry("is_current", true).containsEntry("settled", true)
                .containsEntry("sample_count", 5200L).containsEntry("channel", "file");
    }

    @Test
    void aBadOnChangedValueIsAUsageError(TestDatabase db) throws Exception {
        Path file = dir.resolve("any.csv");
        Files.writeString(file, HEADER + "file-usage,v1,2026-01-05T10:00:00Z,5000,,,0.91,\n");

        assertThat(ingest(db, file.toString(), "--on-changed-value", "overwrite")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--on-changed-value must be reject or revise, got 'overwrite'");
    }

    @Test
    void aFinalCellOtherThanTrueOrFalseNamesTheLine(TestDatabase db) throws Exception {
        Path file = dir.resolve("bad-final.csv");
        Files.writeString(file, HEADER + "file-final,v1,2026-01-05T10:00:00Z,5000,,,0.91,yes\n");

        assertThat(ingest(db, file.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 2: final must be true");
    }
}
