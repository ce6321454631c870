package org.visutility.orchestrator.config;

import java.util.List;

/** Every bearer token of the node's HTTP API, of every role. */
public record ApiTokens(List<ApiToken> all) {
    public ApiTokens {
        all = List.copyOf(all);
    }

    public static ApiTokens none() {
        return new ApiTokens(List.of());
    }

    public List<ApiToken> of(ApiRole role) {
        return all.stream().filter(t -> t.role() == role).toList();
    }

    public boolean anyOf(ApiRole role) {
        return all.stream().anyMatch(t -> t.role() == role);
    }
}
