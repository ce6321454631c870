package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.CsvRows;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvSnapshotReaderTest {

    private static final String HEADER = "model,version,observed_at,sample_count,segment,source,auc";

    /** The rows of a CSV text as the file import reads them. */
    private static List<CsvRows.Row> rows(String text) throws IOException {
        List<CsvRows.Row> rows = new ArrayList<>();
        try (CsvRows csv = new CsvRows(new StringReader(text), CsvRows.Spaces.KEPT, 1 << 20)) {
            for (CsvRows.Row row; (row = csv.next()) != null; ) rows.add(row);
        }
        return rows;
    }

    @Test
    void quotedCellsHoldCommasDoubledQuotesAndLineBreaks() throws IOException {
        List<CsvRows.Row> rows = rows(HEADER + "\n"
                + "m,v1,2026-01-05T10:00:00Z,5,\"eu, west\",\"the \"\"nightly\"\" job\",0.5\n"
                + "m,v1,2026-01-05T10:01:00Z,5,\"eu\nwest\",serving,0.6\n");
        List<Violation> out = new ArrayList<>();
        CsvSnapshotReader reader = CsvSnapshotReader.fromHeader(rows.get(0).line(), rows.get(0).cells(), out);
        RawSnapshot commas = reader.read(rows.get(1).line(), rows.get(1).cells(), out);
        RawSnapshot spanning = reader.read(rows.get(2).line(), rows.get(2).cells(), out);
        assertThat(out).isEmpty();
        assertThat(commas.segment()).isEqualTo("eu, west");
        assertThat(commas.source()).isEqualTo("the \"nightly\" job");
        assertThat(spanning.segment()).isEqualTo("eu\nwest");
        assertThat(spanning.metrics()).isEqualTo(java.util.Map.of("auc", 0.6));
        assertThat(rows).extracting(CsvRows.Row::line).containsExactly(1, 2, 3);
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsNamedByItsLine() throws IOException {
        List<CsvRows.Row> rows = rows(HEADER + "\nm,v1,\"2026-01-05\nT10:00:00Z\",5,eu\n");
        List<Violation> out = new ArrayList<>();
        CsvSnapshotReader reader = CsvSnapshotReader.fromHeader(1, rows.get(0).cells(), out);
        assertThat(reader.read(rows.get(1).line(), rows.get(1).cells(), out)).isNull();
        assertThat(out).extracting(Violation::rule).containsExactly("has 5 columns; the header has 7");
    }

    @Test
    void numbersAreReadAsNumbersAndAnythingElseIsKeptForValidationToReject() {
        assertThat(CsvSnapshotReader.number("5000")).isEqualTo(5000L);
        assertThat(CsvSnapshotReader.number("-0.25")).isEqualTo(-0.25);
        assertThat(CsvSnapshotReader.number("1.5e-3")).isEqualTo(0.0015);
        assertThat((Double) CsvSnapshotReader.number("NaN")).isNaN();
        assertThat(CsvSnapshotReader.number("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(CsvSnapshotReader.number("0x10")).isEqualTo("0x10");
        assertThat(CsvSnapshotReader.number("1d")).isEqualTo("1d");
        assertThat(CsvSnapshotReader.number("1-2")).isEqualTo("1-2");
        assertThat(CsvSnapshotReader.number("")).isNull();
    }

    @Test
    void theHeaderMustStartWithTheSnapshotColumnsAndNameValidMetricsOnce() {
        List<Violation> out = new ArrayList<>();
        assertThat(CsvSnapshotReader.fromHeader(1, List.of((HEADER + ",auc").split(",")), out)).isNull();
        assertThat(out).extracting(Violation::rule).containsExactly("metric column auc appears twice");
        out.clear();
        assertThat(CsvSnapshotReader.fromHeader(1, List.of(HEADER.split(",")), out)).isNotNull();
        assertThat(out).isEmpty();
    }
}
