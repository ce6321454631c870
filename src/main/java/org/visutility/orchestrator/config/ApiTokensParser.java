package org.visutility.orchestrator.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the three token lists (ORCHESTRATOR_INGEST_TOKENS, _OPERATOR_TOKENS, _READ_TOKENS): each a
 * comma-separated list of {@code name:token} entries; a bare {@code token} (the format ingest tokens
 * always had) is named by its role and place, {@code ingest-1}, {@code operator-2}. A token has no
 * colon, so the first colon splits name from token.
 */
final class ApiTokensParser {
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/=-]{16,512}");
    /** The rule of an operator's name in orchestrator.model_version_event.actor (operator:NAME). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");

    private ApiTokensParser() {
    }

    static ApiTokens parse(Map<Setting, String> raw) {
        List<ApiToken> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        for (ApiRole role : ApiRole.values()) {
            String list = raw.get(role.setting());
            if (list == null) continue;
            int position = 0;
            for (String entry : list.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) continue;
                position++;
                String env = role.setting().env();
                int colon = e.indexOf(':');
                String name = colon < 0 ? role.derivedName(position) : e.substring(0, colon).trim();
                String secret = colon < 0 ? e : e.substring(colon + 1).trim();
                if (!NAME.matcher(name).matches()) {
                    throw ConfigException.of(env, "entry " + position + ": a token's name must be 1-100 characters of letters, digits and ._@+-");
                }
                if (!TOKEN.matcher(secret).matches()) {
                    throw ConfigException.of(env, "entry " + position + " (" + name + "): each token must be 16-512 characters of [A-Za-z0-9._~+/=-]");
                }
                if (!names.add(name)) {
                    throw ConfigException.of(env, "entry " + position + ": the name " + name + " is used by another token; names must be unique");
                }
                if (!secrets.add(secret)) {
                    throw ConfigException.of(env, "entry " + position + " (" + name + "): the same token is listed twice; a token has one role");
                }
                tokens.add(new ApiToken(name, secret, role));
            }
        }
        return new ApiTokens(tokens);
    }
}
