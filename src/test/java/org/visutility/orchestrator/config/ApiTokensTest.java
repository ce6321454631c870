package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTokensTest {
    private static final String A = "aaaaaaaaaaaaaaaa1";
    private static final String B = "bbbbbbbbbbbbbbbb2";
    private static final String C = "cccccccccccccccc3";

    private static OrchestratorConfig load(Map<String, String> env) {
        return ConfigLoader.load(null, env);
    }

    @Test
    void bareTokensKeepWorkingAndAreNamedByTheirRoleAndPlace() {
        OrchestratorConfig c = load(Map.of("ORCHESTRATOR_INGEST_TOKENS", A + ", " + B, "ORCHESTRATOR_OPERATOR_TOKENS", C));
        assertThat(c.ingestTokens()).containsExactly(A, B);
        assertThat(c.apiTokens().of(ApiRole.INGEST)).extracting(ApiToken::name).containsExactly("ingest-1", "ingest-2");
        assertThat(c.apiTokens().of(ApiRole.OPERATOR)).extracting(ApiToken::name).containsExactly("operator-1");
        assertThat(c.apiTokens().anyOf(ApiRole.READ)).isFalse();
    }

    @Test
    void namedTokensCarryTheirNameAndRole() {
        OrchestratorConfig c = load(Map.of("ORCHESTRATOR_OPERATOR_TOKENS", "alice:" + A + ",bob@ops:" + B,
                "ORCHESTRATOR_READ_TOKENS", "grafana:" + C));
        assertThat(c.apiTokens().of(ApiRole.OPERATOR)).containsExactly(new ApiToken("alice", A, ApiRole.OPERATOR),
                new ApiToken("bob@ops", B, ApiRole.OPERATOR));
        assertThat(c.apiTokens().of(ApiRole.READ)).extracting(ApiToken::name).containsExactly("grafana");
        assertThat(c.ingestTokens()).isEmpty();
        assertThat(c.apiTokens().all().get(0).toString()).as("never the secret").doesNotContain(A);
    }

    @Test
    void anOperatorMayReadButNoOtherRoleMayDoAnothersWork() {
        assertThat(ApiRole.OPERATOR.grants(ApiRole.READ)).isTrue();
        assertThat(ApiRole.OPERATOR.grants(ApiRole.INGEST)).isFalse();
        assertThat(ApiRole.READ.grants(ApiRole.OPERATOR)).isFalse();
        assertThat(ApiRole.INGEST.grants(ApiRole.READ)).isFalse();
    }

    @Test
    void badEntriesAreRefusedNamingTheSettingAndTheEntry() {
        assertThatThrownBy(() -> load(Map.of("ORCHESTRATOR_OPERATOR_TOKENS", "alice:short")))
                .hasMessageContaining("ORCHESTRATOR_OPERATOR_TOKENS").hasMessageContaining("entry 1 (alice)").hasMessageContaining("16-512");
        assertThatThrownBy(() -> load(Map.of("ORCHESTRATOR_READ_TOKENS", "a b:" + A)))
                .hasMessageContaining("ORCHESTRATOR_READ_TOKENS").hasMessageContaining("name");
        assertThatThrownBy(() -> load(Map.of("ORCHESTRATOR_OPERATOR_TOKENS", "alice:" + A, "ORCHESTRATOR_READ_TOKENS", "alice:" + B)))
                .hasMessageContaining("alice is used by another token");
        assertThatThrownBy(() -> load(Map.of("ORCHESTRATOR_OPERATOR_TOKENS", A, "ORCHESTRATOR_INGEST_TOKENS", A)))
                .hasMessageContaining("the same token is listed twice");
    }

    @Test
    void theServerSettingMustBeAnHttpUrl() {
        assertThat(load(Map.of("ORCHESTRATOR_SERVER", "http://node:8080", "ORCHESTRATOR_TOKEN", A)).server())
                .hasValueSatisfying(u -> assertThat(u.getHost()).isEqualTo("node"));
        assertThatThrownBy(() -> load(Map.of("ORCHESTRATOR_SERVER", "node:8080"))).hasMessageContaining("ORCHESTRATOR_SERVER");
    }
}
