package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/v1/snapshots}: authenticate, check the content type and size, validate the whole
 * batch, write it in one transaction. 200 with counts; 400 listing every bad item (a refused revision
 * included); 401/403; 409 on a conflicting key (a token that rejects changed values); 413; 415; 503
 * (with Retry-After) only for faults worth retrying. A token marked revise stores changed values as revisions.
 */
public final class SnapshotIngestRoute implements Handler {
    public static final String PATH = "/api/v1/snapshots";
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotIngestRoute.class);
    private static final String RETRY_AFTER_SECONDS = "5";
    private static final String POSITION = "index";

    private final SnapshotIngest ingest;
    private final IngestAuthenticator authenticator;

    public SnapshotIngestRoute(SnapshotIngest ingest, IngestAuthenticator authenticator) {
        this.ingest = ingest;
        this.authenticator = authenticator;
    }

    @Override
    public void handle(Context ctx) {
        // the socket's peer, never a forwarded-for header a caller could forge
        String caller = ctx.req().getRemoteAddr();
        IngestAuthenticator.Access access = authenticator.authenticate(ctx.header("Authorization"), caller);
        IngestAuthenticator.Decision decision = access.decision();
        if (decision != IngestAuthenticator.Decision.ALLOWED) {
            if (decision.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.valueOf(decision.name()));
            answer(ctx, decision.status(), error(decision.reason()));
            return;
        }
        String contentType = ctx.contentType();
        if (!isJson(contentType)) {
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.UNSUPPORTED_MEDIA_TYPE);
            answer(ctx, 415, error("Content-Type must be application/json (UTF-8), got " + (contentType == null ? "none" : contentType)));
            return;
        }
        byte[] body;
        try {
            body = readBody(ctx);
        } catch (IOException e) {
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.UNREADABLE);
            answer(ctx, 400, error("the request body could not be read: " + e.getMessage()));
            return;
        }
        if (body == null) {
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.TOO_LARGE);
            answer(ctx, 413, error("the request body is larger than " + SnapshotBatchValidator.MAX_BODY_BYTES
                    + " bytes (1 MiB); send at most " + SnapshotBatchValidator.MAX_SNAPSHOTS_PER_BATCH + " snapshots per request"));
            return;
        }
        List<Violation> violations = new ArrayList<>();
        List<Snapshot> snapshots = parse(body, violations);
        if (!violations.isEmpty()) {
            // found before the ingest ran (which counts its own rejections)
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.INVALID);
            rejectInvalid(ctx, violations, countItems(violations));
            return;
        }
        try {
            IngestResult result = ingest.ingest(IngestChannel.HTTP, caller, sink -> {
                for (int i = 0; i < snapshots.size(); i++) sink.add(i, snapshots.get(i));
            }, RevisionRules.of(access.onChangedValue()));
            answer(ctx, 200, result.toJson());
        } catch (InvalidSnapshotsException e) {
            rejectInvalid(ctx, e.violations(), e.invalidItems());
        } catch (SnapshotConflictException e) {
            Map<String, Object> out = error(e.conflicts().size() + " snapshot(s) have the key of a stored snapshot (or of an earlier"
                    + " item) with different values; nothing was written");
            out.put("conflicts", IngestReports.conflicts(e.conflicts(), POSITION));
            answer(ctx, 409, out);
        } catch (ConcurrentRevisionException e) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
            answer(ctx, 503, error(e.getMessage()));
        } catch (RuntimeException e) {
            if (isTransient(e)) {
                LOG.warn("Snapshot batch from {} not written, the database is unavailable: {}", caller, e.getMessage());
                ctx.header("Retry-After", RETRY_AFTER_SECONDS);
                answer(ctx, 503, error("the database is unavailable; nothing was written, retry later"));
            } else {
                LOG.error("Snapshot batch from {} failed", caller, e);
                answer(ctx, 500, error("internal error; nothing was written: " + e.getMessage()));
            }
        }
    }

    /** The batch's snapshots, or violations: the whole body is checked before anything is written. */
    private List<Snapshot> parse(byte[] body, List<Violation> violations) {
        JsonNode root;
        try {
            root = JsonSnapshotReader.parse(body);
        } catch (IOException e) {
            violations.add(Violation.ofInput("body", "is not valid JSON: " + JsonSnapshotReader.parseError(e)));
            return List.of();
        }
        if (root == null || root.isMissingNode()) {
            violations.add(Violation.ofInput("body", "is empty; send {\"snapshots\": [...]}"));
            return List.of();
        }
        if (!root.isObject()) {
            violations.add(Violation.ofInput("body", "must be a JSON object {\"snapshots\": [...]}"));
            return List.of();
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!"snapshots".equals(f)) {
                violations.add(Violation.ofInput(SnapshotBatchValidator.printable(f), "is not a batch field; a batch is {\"snapshots\": [...]}"));
            }
        }
        JsonNode items = root.get("snapshots");
        if (items == null || !items.isArray()) {
            violations.add(Violation.ofInput("snapshots", "must be an array of snapshots"));
            return List.of();
        }
        ingest.validator().checkBatchSize(items.size(), violations);
        if (!violations.isEmpty()) return List.of();
        List<Snapshot> snapshots = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            RawSnapshot raw = JsonSnapshotReader.read(i, items.get(i), violations);
            if (raw == null) continue;
            Snapshot s = ingest.validator().validate(i, raw, violations);
            if (s != null) snapshots.add(s);
        }
        return snapshots;
    }

    private static int countItems(List<Violation> violations) {
        return (int) violations.stream().mapToInt(Violation::position).distinct().count();
    }

    private static void rejectInvalid(Context ctx, List<Violation> violations, int invalidItems) {
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

    private static Map<String, Object> error(String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", message);
        return out;
    }

    private static void answer(Context ctx, int status, Object body) {
        ctx.status(status).json(body);
    }
}
