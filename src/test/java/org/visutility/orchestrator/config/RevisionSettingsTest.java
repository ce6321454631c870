package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** on_changed_value, settle and max_revision_age of collectors, and ingest tokens marked revise. */
class RevisionSettingsTest {
    private static final String A = "aaaaaaaaaaaaaaaa1";
    private static final String B = "bbbbbbbbbbbbbbbb2";

    private static SqlCollectorSetting collector(String extra) {
        return ConfigLoader.load(null, Map.of("ORCHESTRATOR_COLLECTORS",
                "[{\"name\":\"a\",\"url\":\"jdbc:x:y\",\"query\":\"SELECT :since\",\"cron\":\"0 * * * * ?\"" + extra + "}]"))
                .ingest().collectors().get(0);
    }

    @Test
    void aCollectorRevisesByDefaultWithoutSettleOrAgeLimit() {
        SqlCollectorSetting c = collector("");
        assertThat(c.onChangedValue()).isEqualTo(OnChangedValue.REVISE);
        assertThat(c.settle()).isEmpty();
        assertThat(c.maxRevisionAge()).isEmpty();
    }

    @Test
    void aCollectorReadsOnChangedValueSettleAndMaxRevisionAge() {
        SqlCollectorSetting c = collector(",\"on_changed_value\":\"revise\",\"settle\":\"2h\",\"max_revision_age\":\"7d\"");
        assertThat(c.settle()).isEqualTo(Optional.of(Duration.ofHours(2)));
        assertThat(c.maxRevisionAge()).isEqualTo(Optional.of(Duration.ofDays(7)));
        assertThat(collector(",\"on_changed_value\":\"reject\"").onChangedValue()).isEqualTo(OnChangedValue.REJECT);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            ",\"on_changed_value\":\"overwrite\"|on_changed_value must be revise or reject, got 'overwrite'",
            ",\"settle\":\"two hours\"|settle: 'two hours' is not a duration",
            ",\"settle\":\"10s\"|settle '10s' is out of range 1m-366d",
            ",\"settle\":\"400d\"|settle '400d' is out of range 1m-366d",
            ",\"max_revision_age\":\"7 days\"|max_revision_age: '7 days' is not a duration",
            ",\"max_revision_age\":\"0m\"|max_revision_age '0m' is out of range",
            ",\"on_changed_value\":\"reject\",\"max_revision_age\":\"7d\"|max_revision_age applies only with on_changed_value: revise"})
    void badRevisionKeysAreRejectedAtLoadNamingTheCollectorAndTheRule(String extra, String rule) {
        assertThatThrownBy(() -> collector(extra))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid setting ORCHESTRATOR_COLLECTORS")
                .hasMessageContaining("(a)")
                .hasMessageContaining(rule);
    }

    @Test
    void anIngestTokenMarkedReviseRevisesAndOthersReject() {
        OrchestratorConfig c = ConfigLoader.load(null, Map.of("ORCHESTRATOR_INGEST_TOKENS", "model-server:" + A + ":revise, canary:" + B));
        assertThat(c.ingestApiTokens()).extracting(ApiToken::name, ApiToken::onChangedValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("model-server", OnChangedValue.REVISE),
                        org.assertj.core.groups.Tuple.tuple("canary", OnChangedValue.REJECT));
        assertThat(c.ingestTokens()).containsExactly(A, B);
    }

    @Test
    void badTokenMarksAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_INGEST_TOKENS", "ms:" + A + ":overwrite")))
                .hasMessageContaining("ORCHESTRATOR_INGEST_TOKENS").hasMessageContaining("entry 1")
                .hasMessageContaining("third field must be revise or reject");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_INGEST_TOKENS", A + ":revise")))
                .hasMessageContaining("needs a name: write name:token:revise");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_OPERATOR_TOKENS", "alice:" + A + ":revise")))
                .hasMessageContaining("only ingest tokens take a third field");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_INGEST_TOKENS", "ms:" + A + ":revise:x")))
                .hasMessageContaining("4 colon-separated fields");
    }
}
