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
 * colon, so the first colon splits name from token. An ingest entry may end with a third field,
 * {@code name:token:revise}, to store the changed values its caller posts as revisions (the
 * default, {@code :reject} or nothing, answers them 409).
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
                String[] fields = e.split(":", -1);
                if (fields.length > 3) {
                    throw ConfigException.of(env, "entry " + position + ": an entry is name:token, or name:token:revise for an ingest token;"
                            + " it has " + fields.length + " colon-separated fields");
                }
                OnChangedValue onChanged = OnChangedValue.REJECT;
                if (fields.length == 3) {
                    onChanged = OnChangedValue.of(fields[2]);
                    if (role != ApiRole.INGEST) {
                        throw ConfigException.of(env, "entry " + position + ": only ingest tokens take a third field (name:token:revise)");
                    }
                    if (onChanged == null) {
                        throw ConfigException.of(env, "entry " + position + ": the third field must be revise or reject (what a changed value"
                                + " for a stored snapshot key does), got '" + fields[2].trim() + "'");
                    }
                } else if (fields.length == 2 && role == ApiRole.INGEST && OnChangedValue.of(fields[1]) != null) {
                    throw ConfigException.of(env, "entry " + position + ": a token marked " + fields[1].trim()
                            + " needs a name: write name:token:" + fields[1].trim());
                }
                String name = fields.length == 1 ? role.derivedName(position) : fields[0].trim();
                String secret = fields.length == 1 ? e : fields[1].trim();
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
                tokens.add(new ApiToken(name, secret, role, onChanged));
            }
        }
        return new ApiTokens(tokens);
    }
}
