package org.visutility.orchestrator.node;

import io.javalin.http.Context;
import org.visutility.orchestrator.config.ApiRole;
import org.visutility.orchestrator.config.ApiToken;
import org.visutility.orchestrator.config.ApiTokens;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Decides who may call a route of a role, from the bearer token ({@code Authorization: Bearer <token>}):
 * an unknown or missing token is 401, a known token of another role 403. Without any token of the
 * role: the control API ({@link ApiRole#OPERATOR}) answers loopback callers only (that also name the
 * node by a loopback name in their Host header, against DNS rebinding), the read API
 * ({@link ApiRole#READ}) everyone (as before roles). Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, against every configured token without stopping early, so timing
 * reveals neither a token nor its length.
 */
public final class ApiAccess {
    private static final String BEARER = "bearer ";

    private record Known(ApiToken token, byte[] digest) {
    }

    private final ApiTokens tokens;
    private final List<Known> known;

    public ApiAccess(ApiTokens tokens) {
        this.tokens = tokens;
        this.known = tokens.all().stream().map(t -> new Known(t, sha256(t.secret()))).toList();
    }

    /** The caller of {@code ctx} if it may act as {@code role}; otherwise an {@link ApiProblem} (401 or 403). */
    public ApiCaller require(Context ctx, ApiRole role) {
        // the socket's peer, never a forwarded-for header a caller could forge
        return decide(ctx.header("Authorization"), ctx.req().getRemoteAddr(), ctx.header("Host"), role, ctx);
    }

    ApiCaller decide(String authorization, String remoteAddress, String host, ApiRole role, Context ctx) {
        if (!tokens.anyOf(role)) {
            // no token of the role: the read API stays open, the control API answers this host only,
            // and only by a local name (a page whose own name was pointed at 127.0.0.1 says its name)
            if (role == ApiRole.READ) return ApiCaller.ANONYMOUS;
            if (isLoopback(remoteAddress) && isLocalHostHeader(host)) return ApiCaller.LOOPBACK;
            throw new ApiProblem(403, "no " + role.setting().env() + " are set, so only loopback callers may use this route");
        }
        String presented = bearer(authorization);
        if (presented == null) {
            if (ctx != null) ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiProblem(401, "a bearer token is required: send Authorization: Bearer <token> with one of " + role.setting().env());
        }
        ApiToken match = match(presented);
        if (match == null) {
            if (ctx != null) ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new ApiProblem(401, "the bearer token is not a configured token");
        }
        if (!match.role().grants(role)) {
            throw new ApiProblem(403, "token " + match.name() + " is a " + match.role().name().toLowerCase(Locale.ROOT)
                    + " token; this route needs one of " + role.setting().env()
                    + (role == ApiRole.READ ? " or ORCHESTRATOR_OPERATOR_TOKENS" : ""));
        }
        return new ApiCaller(match.name());
    }

    private ApiToken match(String presented) {
        byte[] digest = sha256(presented);
        ApiToken found = null;
        for (Known k : known) {
            if (MessageDigest.isEqual(k.digest(), digest) & found == null) found = k.token();
        }
        return found;
    }

    private static String bearer(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return null;
        }
        String t = header.substring(BEARER.length()).trim();
        return t.isEmpty() ? null : t;
    }

    /** Whether a Host header names this host: localhost or a loopback address, with or without a port. */
    static boolean isLocalHostHeader(String host) {
        if (host == null) return false;
        String h = host.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && isLoopback(h.substring(0, end + 1));
        }
        int colon = h.indexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        return h.equalsIgnoreCase("localhost") || isLoopback(h);
    }

    /** Whether a literal address is loopback; a host name is never looked up. */
    public static boolean isLoopback(String address) {
        if (address == null) return false;
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        int zone = a.indexOf('%');
        if (zone >= 0) a = a.substring(0, zone);
        if (a.isEmpty()) return false;
        boolean ipv6 = a.indexOf(':') >= 0;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            boolean literal = (c >= '0' && c <= '9') || c == '.' || (ipv6 && (c == ':' || Character.digit(c, 16) >= 0));
            if (!literal) return false;
        }
        try {
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
