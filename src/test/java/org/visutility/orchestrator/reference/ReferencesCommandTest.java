package org.visutility.orchestrator.reference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.collect.DistributionIngest;
import org.visutility.orchestrator.collect.IngestChannel;
import org.visutility.orchestrator.collect.IngestResult;
import org.visutility.orchestrator.collect.JsonDistributionReaderAccess;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code references set} from a file and from a production window, superseding, and {@code references show}. */
@ExtendWith(PostgresExtension.class)
class ReferencesCommandTest {
    private static final String FILE = """
            {"features": [
               {"feature": "tenure", "kind": "numeric", "bins": [0, 6, 12, 24], "counts": [120, 340, 95]},
               {"feature": "plan", "kind": "categorical", "counts": {"monthly": 300, "__other__": 80}},
               {"feature": "prediction", "kind": "numeric", "bins": [0, 0.5, 1], "counts": [70, 30]}],
             "calibration": {"edges": [0, 0.5, 1], "predicted_mean": [0.2, 0.8], "observed_rate": [0.25, 0.6],
                             "counts": [70, 30], "threshold": 0.5, "positive_class": "1"}}
            """;
    @TempDir
    Path dir;

    private static void histograms(TestDatabase db, String model, String... lines) {
        DistributionIngest ingest = new DistributionIngest(db.jdbi(), db.config().ingest());
        IngestResult r = ingest.ingest(IngestChannel.FILE, "test", sink -> {
            for (int i = 0; i < lines.length; i++) sink.add(i + 1, JsonDistributionReaderAccess.valid(ingest, i + 1, lines[i].replace("MODEL", model)));
        });
        assertThat(r.inserted()).isEqualTo(lines.length);
    }

    private static String tenure(String observedAt, String bins, String counts) {
        return "{\"model\":\"MODEL\",\"version\":\"v1\",\"observed_at\":\"" + observedAt + "\",\"segment\":\"eu\",\"feature\":\"tenure\","
                + "\"kind\":\"numeric\",\"bins\":" + bins + ",\"counts\":" + counts + "}";
    }

    private static String plan(String observedAt, String counts) {
        return "{\"model\":\"MODEL\",\"version\":\"v1\",\"observed_at\":\"" + observedAt + "\",\"feature\":\"plan\","
                + "\"kind\":\"categorical\",\"counts\":" + counts + "}";
    }

    private static List<Map<String, Object>> rows(TestDatabase db, String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT r.feature, r.origin, r.counts::text AS counts, r.categories::text AS categories, r.sample_count,
                       r.superseded_at IS NULL AS current, r.set_by, r.window_start IS NOT NULL AS windowed
                  FROM orchestrator.reference_distribution r
                  JOIN orchestrator.model_version v ON v.id = r.model_version_id JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = :m ORDER BY r.id""").bind("m", model).mapToMap().list());
    }

    private Path file(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aFileSetsEachFeatureAndTheCalibrationWithItsCountWeightedError(TestDatabase db) throws Exception {
        histograms(db, "ref-file", tenure("2026-11-30T10:00:00Z", "[0,1]", "[1]"));

        Cli.Run run = Cli.run(db.environment(Map.of()), "references", "set", "ref-file", "v1", file("ref.json", FILE).toString(), "--actor", "ana");

        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(rows(db, "ref-file")).extracting(r -> r.get("feature")).containsExactly("tenure", "plan", "prediction");
        assertThat(rows(db, "ref-file").get(1)).containsEntry("categories", "{monthly,__other__}").containsEntry("sample_count", 380L)
                .containsEntry("origin", "file").containsEntry("set_by", "operator:ana");
        Map<String, Object> calibration = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT c.calibration_error, c.threshold, c.positive_class, c.origin FROM orchestrator.reference_calibration c
                  JOIN orchestrator.model_version v ON v.id = c.model_version_id JOIN orchestrator.model m ON m.id = v.model_id
                 WHERE m.name = 'ref-file'""").mapToMap().one());
        // (70 * |0.2 - 0.25| + 30 * |0.8 - 0.6|) / 100 = (3.5 + 6) / 100
        assertThat((Double) calibration.get("calibration_error")).isCloseTo(0.095, within(1e-12));
        assertThat(calibration).containsEntry("positive_class", "1").containsEntry("origin", "file");

        Cli.Run show = Cli.run(db.environment(Map.of()), "references", "show", "ref-file", "v1");
        assertThat(show.out()).contains("tenure").contains("prediction").contains("calibration error 0.0950");
    }

    @Test
    void settingAgainSupersedesEveryCurrentHistogramAndKeepsTheOldRows(TestDatabase db) throws Exception {
        histograms(db, "ref-again", tenure("2026-11-30T10:00:00Z", "[0,1]", "[1]"));
        Cli.run(db.environment(Map.of()), "references", "set", "ref-again", "v1", file("first.json", FILE).toString());

        Cli.Run run = Cli.run(db.environment(Map.of()), "references", "set", "ref-again", "v1", file("second.json", """
                {"features": [{"feature": "tenure", "kind": "numeric", "bins": [0, 12, 24], "counts": [5, 6]}]}""").toString());

        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        List<Map<String, Object>> rows = rows(db, "ref-again");
        assertThat(rows).hasSize(4);
        assertThat(rows.stream().filter(r -> Boolean.TRUE.equals(r.get("current"))).map(r -> r.get("counts")).toList()).containsExactly("{5,6}");
        long calibrations = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.reference_calibration c JOIN orchestrator.model_version v ON v.id = c.model_version_id
                  JOIN orchestrator.model m ON m.id = v.model_id WHERE m.name = 'ref-again' AND c.superseded_at IS NULL""").mapTo(Long.class).one());
        assertThat(calibrations).as("a set without a calibration keeps the current one").isEqualTo(1);
    }

    @Test
    void anInvalidFileWritesNothingAndNamesTheFieldAndRule(TestDatabase db) throws Exception {
        histograms(db, "ref-bad", tenure("2026-11-30T10:00:00Z", "[0,1]", "[1]"));
        String bad = FILE.replace("[0, 6, 12, 24]", "[0, 12, 6, 24]").replace("\"observed_rate\": [0.25, 0.6]", "\"observed_rate\": [0.25]");

        Cli.Run run = Cli.run(db.environment(Map.of()), "references", "set", "ref-bad", "v1", file("bad.json", bad).toString());

        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("features[0].bins[2] must be greater than the edge before it")
                .contains("calibration.observed_rate must hold one value per bin: 2, got 1");
        assertThat(rows(db, "ref-bad")).isEmpty();
    }

    @Test
    void aProductionWindowIsSummedPerFeatureAndKeepsTheCalibration(TestDatabase db) throws Exception {
        histograms(db, "ref-window",
                tenure("2026-11-30T10:00:00Z", "[0,6,12]", "[1,2]"),
                tenure("2026-11-30T11:00:00Z", "[0,6,12]", "[10,20]"),
                tenure("2026-11-30T12:00:00Z", "[0,6,12]", "[100,200]"),
                plan("2026-11-30T11:00:00Z", "{\"monthly\":3,\"yearly\":1}"),
                plan("2026-11-30T12:00:00Z", "{\"yearly\":2,\"__other__\":5}"));
        Cli.run(db.environment(Map.of()), "references", "set", "ref-window", "v1", file("ref.json", FILE).toString());

        Cli.Run run = Cli.run(db.environment(Map.of()), "references", "set", "ref-window", "v1",
                "--from-window", "2026-11-30T10:00:00Z..2026-11-30T12:00:00Z");

        assertThat(run.status()).as(run.err()).isEqualTo(ExitCode.OK);
        List<Map<String, Object>> current = rows(db, "ref-window").stream().filter(r -> Boolean.TRUE.equals(r.get("current"))).toList();
        assertThat(current).extracting(r -> r.get("feature") + " " + r.get("counts") + " " + r.get("categories"))
                .containsExactlyInAnyOrder("plan {3,3,5} {monthly,yearly,__other__}", "tenure {110,220} null");
        assertThat(current).allSatisfy(r -> assertThat(r).containsEntry("origin", "production_window").containsEntry("windowed", true));
        Cli.Run show = Cli.run(db.environment(Map.of()), "references", "show", "ref-window", "v1");
        assertThat(show.out()).contains("calibration (file)");
    }

    @Test
    void aWindowWhoseNumericHistogramsDoNotShareEdgesIsRefusedClearly(TestDatabase db) {
        histograms(db, "ref-edges",
                tenure("2026-11-30T10:00:00Z", "[0,6,12]", "[1,2]"),
                tenure("2026-11-30T11:00:00Z", "[0,5,12]", "[10,20]"));

        Cli.Run run = Cli.run(db.environment(Map.of()), "references", "set", "ref-edges", "v1",
                "--from-window", "2026-11-30T09:00:00Z..2026-11-30T11:00:00Z");

        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("feature tenure: its histograms have different bin edges");
        assertThat(rows(db, "ref-edges")).isEmpty();
    }
}
