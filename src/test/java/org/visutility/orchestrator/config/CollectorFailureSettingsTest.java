package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** on_invalid_row of a SQL collector and ORCHESTRATOR_COLLECTOR_DEGRADED_AFTER: defaults, choices, and clear errors. */
class CollectorFailureSettingsTest {
    private static String collectors(String onInvalidRow) {
        return "[{\"name\":\"dwh\",\"url\":\"jdbc:postgresql://h/db\",\"query\":\"SELECT :since\",\"cron\":\"0 * * * * ?\""
                + (onInvalidRow == null ? "" : ",\"on_invalid_row\":" + onInvalidRow) + "}]";
    }

    @Test
    void aCollectorRejectsTheWholeRunOnAnInvalidRowUnlessItSaysSkipRow() {
        assertThat(ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS", collectors(null))).ingest().collectors().get(0).onInvalidRow())
                .isEqualTo(InvalidRowPolicy.REJECT_RUN);
        assertThat(ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS", collectors("\"reject_run\""))).ingest().collectors().get(0)
                .onInvalidRow()).isEqualTo(InvalidRowPolicy.REJECT_RUN);
        SqlCollectorSetting skipping = ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS", collectors("\"skip_row\"")))
                .ingest().collectors().get(0);
        assertThat(skipping.onInvalidRow()).isEqualTo(InvalidRowPolicy.SKIP_ROW);
        assertThat(skipping.toString()).contains("on_invalid_row=skip_row");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"skip\"", "\"SKIP_ROW\"", "\"\"", "1", "true", "[\"skip_row\"]"})
    void aBadOnInvalidRowIsRejectedNamingTheCollectorTheKeyAndTheChoices(String value) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS", collectors(value))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid setting ORCHESTRATOR_COLLECTORS (collectors:) item 1 (dwh)")
                .hasMessageContaining("on_invalid_row")
                .hasMessageContaining("must be reject_run")
                .hasMessageContaining("or skip_row");
    }

    @Test
    void theUnknownKeyErrorListsOnInvalidRow() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS",
                "[{\"name\":\"dwh\",\"url\":\"jdbc:x:y\",\"query\":\"SELECT :since\",\"cron\":\"0 * * * * ?\",\"on_bad_row\":\"skip_row\"}]")))
                .hasMessageContaining("unknown key 'on_bad_row'").hasMessageContaining("on_invalid_row");
    }

    @Test
    void healthIsDegradedAfterThreeFailedRunsInARowUnlessConfigured() {
        assertThat(ConfigLoader.load(null, Map.of()).ingest().collectorDegradedAfter()).isEqualTo(3);
        assertThat(ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTOR_DEGRADED_AFTER", "1")).ingest().collectorDegradedAfter()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "three", "2.5"})
    void aDegradedAfterOutsideOneToAThousandIsRejected(String value) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTOR_DEGRADED_AFTER", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid setting ORCHESTRATOR_COLLECTOR_DEGRADED_AFTER: '" + value + "' is not a whole number from 1 to 1000");
    }
}
