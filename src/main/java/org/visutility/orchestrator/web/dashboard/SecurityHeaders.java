package org.visutility.orchestrator.web.dashboard;

import io.javalin.http.Context;

/**
 * Headers that make the browser refuse what the dashboard never does, so that text that slipped
 * into a page as markup still cannot run: scripts and styles only from this server's files (no
 * inline ones, no eval), no plugins, no base URL, no framing by other sites; and no sniffing a
 * JSON answer into HTML.
 */
final class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private SecurityHeaders() {
    }

    static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
    }
}
