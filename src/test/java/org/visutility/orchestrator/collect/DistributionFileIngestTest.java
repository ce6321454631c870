package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchestrator ingest FILE} with JSON Lines of histograms: found by the first line or told by --distributions; all or nothing. */
@ExtendWith(PostgresExtension.class)
class DistributionFileIngestTest {
    private static final String TENURE = """
            {"model":"file-d","version":"v1","observed_at":"2026-11-30T10:00:00Z","feature":"tenure","kind":"numeric","bins":[0,6,12],"counts":[4,5]}
            """;
    private static final String PLAN = """
            {"model":"file-d","version":"v1","observed_at":"2026-11-30T10:00:00Z","feature":"plan","kind":"categorical","counts":{"monthly":3,"__other__":1}}
            """;
    @TempDir
    Path dir;

    private static long histogramsOf(TestDatabase db, String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.distribution_snapshot d JOIN orchestrator.model m ON m.id = d.model_id WHERE m.name = :m""")
                .bind("m", model).mapTo(Long.class).one());
    }

    @Test
    void aJsonLinesFileOfHistogramsIsImportedAndAgainCountsDuplicates(TestDatabase db) throws Exception {
        Path file = dir.resolve("histograms.jsonl");
        Files.writeString(file, TENURE + "\n" + PLAN);

        Cli.Run first = Cli.run(db.environment(Map.of()), "ingest", file.toString());
        Cli.Run again = Cli.run(db.environment(Map.of()), "ingest", "--distributions", file.toString());

        assertThat(first.status()).as(first.err()).isEqualTo(ExitCode.OK);
        assertThat(first.out()).contains("2 histograms, 2 inserted, 0 duplicate");
        assertThat(again.status()).isEqualTo(ExitCode.OK);
        assertThat(again.out()).contains("2 histograms, 0 inserted, 2 duplicate");
        assertThat(histogramsOf(db, "file-d")).isEqualTo(2);
        String channel = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT DISTINCT b.channel || '/' || b.item_kind FROM orchestrator.distribution_snapshot d
                  JOIN orchestrator.model m ON m.id = d.model_id JOIN orchestrator.ingest_batch b ON b.id = d.batch_id
                 WHERE m.name = 'file-d'""").mapTo(String.class).one());
        assertThat(channel).isEqualTo("file/distributions");
    }

    @Test
    void aFileWithOneBadLineWritesNothingAndNamesTheLineFieldAndRule(TestDatabase db) throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, TENURE.replace("file-d", "file-bad")
                + PLAN.replace("file-d", "file-bad").replace("\"monthly\":3", "\"monthly\":-3"));

        Cli.Run run = Cli.run(db.environment(Map.of()), "ingest", file.toString());

        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("1 line(s) break the rules; nothing was written").contains("line 2: counts.monthly must be a non-negative whole number");
        assertThat(histogramsOf(db, "file-bad")).isZero();
    }

    @Test
    void aConflictingLineIsRefusedNamingTheKey(TestDatabase db) throws Exception {
        Path stored = dir.resolve("stored.jsonl");
        Files.writeString(stored, TENURE.replace("file-d", "file-conflict"));
        assertThat(Cli.run(db.environment(Map.of()), "ingest", stored.toString()).status()).isEqualTo(ExitCode.OK);
        Path changed = dir.resolve("changed.jsonl");
        Files.writeString(changed, TENURE.replace("file-d", "file-conflict").replace("[4,5]", "[4,6]"));

        Cli.Run run = Cli.run(db.environment(Map.of()), "ingest", changed.toString());

        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("never revised").contains("line 1: conflict on model=file-conflict version=v1 feature=tenure");
    }
}
