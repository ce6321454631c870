package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** max_histogram_bins and a collector's returns key. */
class HistogramSettingsTest {
    private static final String COLLECTOR = "[{\"name\":\"h\",\"url\":\"jdbc:h2:mem:x\",\"query\":\"SELECT 1 WHERE :since IS NOT NULL\","
            + "\"cron\":\"0 * * * * ?\"%s}]";

    @Test
    void histogramsHoldAtMost100BinsByDefaultAndTheSettingIsBoundedBy10000() {
        assertThat(ConfigLoader.load(null, Map.of()).ingest().maxHistogramBins()).isEqualTo(100);
        assertThat(ConfigLoader.load(null, Map.of("ORCHESTRATOR_MAX_HISTOGRAM_BINS", "10000")).ingest().maxHistogramBins()).isEqualTo(10000);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_MAX_HISTOGRAM_BINS", "10001")))
                .hasMessageContaining("ORCHESTRATOR_MAX_HISTOGRAM_BINS").hasMessageContaining("from 1 to 10000");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_MAX_HISTOGRAM_BINS", "0")))
                .hasMessageContaining("from 1 to 10000");
    }

    @Test
    void aCollectorReturnsSnapshotsUnlessItSaysDistributions() {
        SqlCollectorSetting plain = ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS", String.format(COLLECTOR, ""))).ingest().collectors().get(0);
        SqlCollectorSetting histograms = ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS",
                String.format(COLLECTOR, ",\"returns\":\"distributions\""))).ingest().collectors().get(0);

        assertThat(plain.returns()).isEqualTo(CollectedItems.SNAPSHOTS);
        assertThat(histograms.returns()).isEqualTo(CollectedItems.DISTRIBUTIONS);
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS", String.format(COLLECTOR, ",\"returns\":\"histograms\""))))
                .hasMessageContaining("returns 'histograms' must be snapshots");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS",
                String.format(COLLECTOR, ",\"returns\":\"distributions\",\"settle\":\"1h\""))))
                .hasMessageContaining("histograms are never revised");
    }
}
