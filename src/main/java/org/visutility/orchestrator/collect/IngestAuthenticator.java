package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.config.ApiToken;
import org.visutility.orchestrator.config.OnChangedValue;
import org.visutility.orchestrator.node.ApiAccess;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Decides who may post snapshots: with tokens configured (ORCHESTRATOR_INGEST_TOKENS), a caller
 * must present one as {@code Authorization: Bearer <token>}; with none, only loopback callers are
 * accepted. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, against
 * every configured token without stopping early, so timing reveals neither a token nor its length.
 * The matching token also says what a changed value its caller posts does (name:token:revise);
 * loopback callers without tokens get the default, reject.
 */
public final class IngestAuthenticator {
    private static final String BEARER = "bearer ";

    /** The answer for one request. */
    public enum Decision {
        ALLOWED(200, null),
        MISSING_TOKEN(401, "a bearer token is required: send Authorization: Bearer <token>"),
        WRONG_TOKEN(403, "the bearer token is not one of ORCHESTRATOR_INGEST_TOKENS"),
        NOT_LOOPBACK(403, "no ORCHESTRATOR_INGEST_TOKENS are set, so only loopback callers may post snapshots");

        private final int status;
        private final String reason;

        Decision(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        public String reason() {
            return reason;
        }
    }

    /** The decision, and for an allowed caller what its changed values do. */
    public record Access(Decision decision, OnChangedValue onChangedValue) {
    }

    private final List<byte[]> tokenDigests;
    private final List<OnChangedValue> onChangedValues;

    /** Tokens whose changed values are all rejected. */
    public IngestAuthenticator(List<String> tokens) {
        this.tokenDigests = tokens.stream().map(IngestAuthenticator::sha256).toList();
        this.onChangedValues = tokens.stream().map(t -> OnChangedValue.REJECT).toList();
    }

    /** The configured ingest tokens (ORCHESTRATOR_INGEST_TOKENS), each with what its changed values do. */
    public static IngestAuthenticator of(List<ApiToken> tokens) {
        return new IngestAuthenticator(tokens.stream().map(ApiToken::secret).toList(),
                tokens.stream().map(ApiToken::onChangedValue).toList());
    }

    private IngestAuthenticator(List<String> tokens, List<OnChangedValue> onChangedValues) {
        this.tokenDigests = tokens.stream().map(IngestAuthenticator::sha256).toList();
        this.onChangedValues = List.copyOf(onChangedValues);
    }

    public Decision decide(String authorizationHeader, String remoteAddress) {
        return authenticate(authorizationHeader, remoteAddress).decision();
    }

    public Access authenticate(String authorizationHeader, String remoteAddress) {
        if (tokenDigests.isEmpty()) {
            return new Access(isLoopback(remoteAddress) ? Decision.ALLOWED : Decision.NOT_LOOPBACK, OnChangedValue.REJECT);
        }
        if (authorizationHeader == null || authorizationHeader.length() <= BEARER.length()
                || !authorizationHeader.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return new Access(Decision.MISSING_TOKEN, OnChangedValue.REJECT);
        }
        byte[] presented = sha256(authorizationHeader.substring(BEARER.length()).trim());
        int matched = -1;
        for (int i = 0; i < tokenDigests.size(); i++) {
            // every digest is compared, a match or not: no early exit
            if (MessageDigest.isEqual(tokenDigests.get(i), presented)) matched = i;
        }
        return matched < 0 ? new Access(Decision.WRONG_TOKEN, OnChangedValue.REJECT)
                : new Access(Decision.ALLOWED, onChangedValues.get(matched));
    }

    static boolean isLoopback(String address) {
        return ApiAccess.isLoopback(address);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
