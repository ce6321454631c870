package org.visutility.orchestrator.node;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.config.ApiRole;
import org.visutility.orchestrator.config.ApiToken;
import org.visutility.orchestrator.config.ApiTokens;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiAccessTest {
    private static final String OP = "op-token-aaaaaaaaaaaaaaaa";
    private static final ApiAccess NO_TOKENS = new ApiAccess(ApiTokens.none());

    private static int refusal(ApiAccess access, String authorization, String remote, String host, ApiRole role) {
        try {
            access.decide(authorization, remote, host, role, null);
            return 200;
        } catch (ApiProblem p) {
            return p.status();
        }
    }

    @Test
    void withoutOperatorTokensOnlyALoopbackCallerNamingALocalHostMayControl() {
        assertThat(NO_TOKENS.decide(null, "127.0.0.1", "127.0.0.1:8080", ApiRole.OPERATOR, null)).isEqualTo(ApiCaller.LOOPBACK);
        assertThat(NO_TOKENS.decide(null, "0:0:0:0:0:0:0:1", "[::1]:8080", ApiRole.OPERATOR, null)).isEqualTo(ApiCaller.LOOPBACK);
        assertThat(NO_TOKENS.decide(null, "127.0.0.1", "localhost:8080", ApiRole.OPERATOR, null)).isEqualTo(ApiCaller.LOOPBACK);
        assertThat(refusal(NO_TOKENS, null, "10.0.0.7", "10.0.0.1:8080", ApiRole.OPERATOR)).isEqualTo(403);
        assertThat(refusal(NO_TOKENS, null, "127.0.0.1", "evil.example:8080", ApiRole.OPERATOR)).as("DNS rebinding").isEqualTo(403);
        assertThat(refusal(NO_TOKENS, null, "127.0.0.1", null, ApiRole.OPERATOR)).isEqualTo(403);
        assertThat(NO_TOKENS.decide(null, "10.0.0.7", "node", ApiRole.READ, null)).isEqualTo(ApiCaller.ANONYMOUS);
    }

    @Test
    void withTokensTheNameOfTheTokenIsTheCallerAndOtherRolesAreRefused() {
        ApiAccess access = new ApiAccess(new ApiTokens(List.of(new ApiToken("alice", OP, ApiRole.OPERATOR),
                new ApiToken("grafana", "read-token-bbbbbbbbbbbbbbbb", ApiRole.READ))));
        assertThat(access.decide("Bearer " + OP, "10.0.0.7", "node", ApiRole.OPERATOR, null)).isEqualTo(new ApiCaller("alice"));
        assertThat(access.decide("bearer " + OP, "10.0.0.7", "node", ApiRole.READ, null)).isEqualTo(new ApiCaller("alice"));
        assertThat(refusal(access, null, "127.0.0.1", "localhost", ApiRole.OPERATOR)).as("tokens set: loopback is no pass").isEqualTo(401);
        assertThat(refusal(access, "Basic " + OP, "10.0.0.7", "node", ApiRole.OPERATOR)).isEqualTo(401);
        assertThat(refusal(access, "Bearer " + OP.substring(1), "10.0.0.7", "node", ApiRole.OPERATOR)).isEqualTo(401);
        assertThat(refusal(access, "Bearer read-token-bbbbbbbbbbbbbbbb", "10.0.0.7", "node", ApiRole.OPERATOR)).isEqualTo(403);
        assertThatThrownBy(() -> access.decide("Bearer read-token-bbbbbbbbbbbbbbbb", "10.0.0.7", "node", ApiRole.OPERATOR, null))
                .hasMessageContaining("grafana").hasMessageNotContaining("bbbbbbbb");
    }
}
