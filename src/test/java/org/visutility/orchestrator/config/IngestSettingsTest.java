package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestSettingsTest {

    @Test
    void byDefaultUnknownModelsAreRegisteredAndNoCollectorsRun() {
        IngestSettings s = ConfigLoader.load(null, Map.of()).ingest();
        assertThat(s.registerUnknown()).isTrue();
        assertThat(s.extraBoundedMetrics()).isEmpty();
        assertThat(s.collectors()).isEmpty();
    }

    @Test
    void collectorsAreReadFromTheYamlFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orchestrator.yaml");
        Files.writeString(file, """
                ingest_register_unknown: false
                ingest_bounded_metrics: [coverage, hit_rate]
                collectors:
                  - name: warehouse-churn
                    url: jdbc:postgresql://dwh.example:5432/analytics
                    user: reader
                    password: s3cret
                    query: |
                      SELECT model, version, observed_at, sample_count, accuracy
                        FROM serving_metrics WHERE observed_at > :since
                    cron: "0 */5 * * * ?"
                """);
        IngestSettings s = ConfigLoader.load(file, Map.of()).ingest();
        assertThat(s.registerUnknown()).isFalse();
        assertThat(s.extraBoundedMetrics()).containsExactlyInAnyOrder("coverage", "hit_rate");
        assertThat(s.collectors()).hasSize(1);
        SqlCollectorSetting c = s.collectors().get(0);
        assertThat(c.name()).isEqualTo("warehouse-churn");
        assertThat(c.url()).isEqualTo("jdbc:postgresql://dwh.example:5432/analytics");
        assertThat(c.user()).contains("reader");
        assertThat(c.password()).contains("s3cret");
        assertThat(c.query()).contains("observed_at > :since");
        assertThat(c.cron()).isEqualTo("0 */5 * * * ?");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void theEnvironmentGivesCollectorsAsJson() {
        IngestSettings s = ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS",
                "[{\"name\":\"a\",\"url\":\"jdbc:h2:mem:x\",\"query\":\"SELECT 1 WHERE :since IS NOT NULL\",\"cron\":\"0 * * * * ?\"}]")).ingest();
        assertThat(s.collectors()).extracting(SqlCollectorSetting::name).containsExactly("a");
        assertThat(s.collectors().get(0).user()).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "[{\"url\":\"jdbc:x:y\",\"query\":\"SELECT :since\",\"cron\":\"0 * * * * ?\"}]|name is required",
            "[{\"name\":\"bad name\",\"url\":\"jdbc:x:y\",\"query\":\"SELECT :since\",\"cron\":\"0 * * * * ?\"}]|must be 1-250 characters",
            "[{\"name\":\"a\",\"url\":\"postgres://h/db\",\"query\":\"SELECT :since\",\"cron\":\"0 * * * * ?\"}]|url must be a JDBC URL",
            "[{\"name\":\"a\",\"url\":\"jdbc:x:y\",\"query\":\"SELECT 1\",\"cron\":\"0 * * * * ?\"}]|query must use the :since bind",
            "[{\"name\":\"a\",\"url\":\"jdbc:x:y\",\"query\":\"SELECT now()::date\",\"cron\":\"0 * * * * ?\"}]|query must use the :since bind",
            "[{\"name\":\"a\",\"url\":\"jdbc:x:y\",\"query\":\"SELECT :since\",\"cron\":\"every minute\"}]|is not a Quartz cron expression",
            "[{\"name\":\"a\",\"url\":\"jdbc:x:y\",\"query\":\"SELECT :since\",\"cron\":\"0 * * * * ?\",\"schedule\":1}]|unknown key 'schedule'",
            "[{\"name\":\"a\",\"url\":\"jdbc:x:y\",\"query\":\"SELECT :since\",\"cron\":\"0 * * * * ?\"},{\"name\":\"a\",\"url\":\"jdbc:x:y\",\"query\":\"SELECT :since\",\"cron\":\"0 * * * * ?\"}]|is used twice",
            "{\"name\":\"a\"}|must be a list of collectors"})
    void aBadCollectorIsRejectedNamingTheSettingAndTheRule(String json, String rule) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS", json)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid setting ORCHESTRATOR_COLLECTORS")
                .hasMessageContaining(rule);
    }

    @Test
    void badIngestSwitchesAreRejectedByName() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_INGEST_REGISTER_UNKNOWN", "maybe")))
                .hasMessageStartingWith("invalid setting ORCHESTRATOR_INGEST_REGISTER_UNKNOWN: 'maybe' is not a boolean");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_INGEST_BOUNDED_METRICS", "ok,not ok")))
                .hasMessageStartingWith("invalid setting ORCHESTRATOR_INGEST_BOUNDED_METRICS: 'not ok' is not a metric name");
    }
}
