package org.visutility.orchestrator.collect;

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

    private final List<byte[]> tokenDigests;

    public IngestAuthenticator(List<String> tokens) {
        this.tokenDigests = tokens.stream().map(IngestAuthenticator::sha256).toList();
    }

    public Decision decide(String authorizationHeader, String remoteAddress) {
        if (tokenDigests.isEmpty()) return isLoopback(remoteAddress) ? Decision.ALLOWED : Decision.NOT_LOOPBACK;
        if (authorizationHeader == null || authorizationHeader.length() <= BEARER.length()
                || !authorizationHeader.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Decision.MISSING_TOKEN;
        }
        byte[] presented = sha256(authorizationHeader.substring(BEARER.length()).trim());
        boolean match = false;
        for (byte[] digest : tokenDigests) {
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match ? Decision.ALLOWED : Decision.WRONG_TOKEN;
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
