package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the ingest routes (POST /api/v1/snapshots, POST /api/v1/distributions) share: the token,
 * the content type and the bounded body checked before any item is read, the batch envelope
 * {@code {"<items>": [...]}}, and the answers (every error a JSON object with {@code error}).
 */
final class IngestRequests {
    static final String RETRY_AFTER_SECONDS = "5";
    static final String POSITION = "index";

    /** A request that passed the token, content type and size checks. */
    record Admitted(String caller, IngestAuthenticator.Access access, byte[] body) {
    }

    private IngestRequests() {
    }

    /**
     * Checks the token, the content type and the size; answers the request (and counts the
     * rejection) when one fails.
     *
     * @param items what the batch holds, for the 413 answer ("snapshots", "histograms")
     * @return the admitted request, or null when it was answered
     */
    static Admitted admit(Context ctx, IngestAuthenticator authenticator, String items) {
        // the socket's peer, never a forwarded-for header a caller could forge
        String caller = ctx.req().getRemoteAddr();
        IngestAuthenticator.Access access = authenticator.authenticate(ctx.header("Authorization"), caller);
        IngestAuthenticator.Decision decision = access.decision();
        if (decision != IngestAuthenticator.Decision.ALLOWED) {
            if (decision.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.valueOf(decision.name()));
            answer(ctx, decision.status(), error(decision.reason()));
            return null;
        }
        String contentType = ctx.contentType();
        if (!isJson(contentType)) {
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.UNSUPPORTED_MEDIA_TYPE);
            answer(ctx, 415, error("Content-Type must be application/json (UTF-8), got " + (contentType == null ? "none" : contentType)));
            return null;
        }
        byte[] body;
        try {
            body = readBody(ctx);
        } catch (IOException e) {
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.UNREADABLE);
            answer(ctx, 400, error("the request body could not be read: " + e.getMessage()));
            return null;
        }
        if (body == null) {
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.TOO_LARGE);
            answer(ctx, 413, error("the request body is larger than " + SnapshotBatchValidator.MAX_BODY_BYTES
                    + " bytes (1 MiB); send at most " + SnapshotBatchValidator.MAX_SNAPSHOTS_PER_BATCH + " " + items + " per request"));
            return null;
        }
        return new Admitted(caller, access, body);
    }

    /** The array under {@code key} in a body {@code {"<key>": [...]}}, or null with the violations of a wrong envelope. */
    static JsonNode items(byte[] body, String key, List<Violation> violations) {
        String shape = "{\"" + key + "\": [...]}";
        JsonNode root;
        try {
            root = JsonSnapshotReader.parse(body);
        } catch (IOException e) {
            violations.add(Violation.ofInput("body", "is not valid JSON: " + JsonSnapshotReader.parseError(e)));
            return null;
        }
        if (root == null || root.isMissingNode()) {
            violations.add(Violation.ofInput("body", "is empty; send " + shape));
            return null;
        }
        if (!root.isObject()) {
            violations.add(Violation.ofInput("body", "must be a JSON object " + shape));
            return null;
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!key.equals(f)) violations.add(Violation.ofInput(SnapshotBatchValidator.printable(f), "is not a batch field; a batch is " + shape));
        }
        JsonNode items = root.get(key);
        if (items == null || !items.isArray()) {
            violations.add(Violation.ofInput(key, "must be an array of " + key));
            return null;
        }
        return violations.isEmpty() ? items : null;
    }

    static int countItems(List<Violation> violations) {
        return (int) violations.stream().mapToInt(Violation::position).distinct().count();
    }

    static void rejectInvalid(Context ctx, List<Violation> violations, int invalidItems) {
        Map<String, Object> out = error("invalid batch: " + invalidItems + " item(s) break the rules below; nothing was written");
        out.put("violations", IngestReports.violations(violations, POSITION));
        answer(ctx, 400, out);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) return false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=") && !p.substring("charset=".length()).replace("\"", "").equals("utf-8")) return false;
        }
        return true;
    }

    /** The body, or null when it is over the limit (declared or actual). */
    private static byte[] readBody(Context ctx) throws IOException {
        int limit = SnapshotBatchValidator.MAX_BODY_BYTES;
        if (ctx.req().getContentLengthLong() > limit) return null;
        InputStream in = ctx.req().getInputStream();
        byte[] bytes = in.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
    }

    /** Faults a client should retry: the database unreachable, a pool timeout, a deadlock or serialization failure. */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) return true;
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57P")) return true;
            }
            if (t instanceof org.visutility.orchestrator.store.DatabaseUnavailableException) return true;
        }
        return false;
    }

    static Map<String, Object> error(String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", message);
        return out;
    }

    static void answer(Context ctx, int status, Object body) {
        ctx.status(status).json(body);
    }
}
