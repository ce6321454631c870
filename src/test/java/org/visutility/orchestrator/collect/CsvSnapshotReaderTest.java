package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvSnapshotReaderTest {

    @Test
    void cellsMayBeQuotedWithDoubledQuotesInside() {
        assertThat(CsvSnapshotReader.split("a,\"b,c\",,\"d\"\"e\",")).containsExactly("a", "b,c", "", "d\"e", "");
        assertThat(CsvSnapshotReader.split("\"open")).isNull();
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
        assertThat(CsvSnapshotReader.fromHeader("model,version,observed_at,sample_count,segment,source,auc,auc", out)).isNull();
        assertThat(out).extracting(Violation::rule).containsExactly("metric column auc appears twice");
        out.clear();
        assertThat(CsvSnapshotReader.fromHeader("model,version,observed_at,sample_count,segment,source,auc", out)).isNotNull();
        assertThat(out).isEmpty();
    }
}
