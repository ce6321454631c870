package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
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
    private static final String POSITION = IngestRequests.POSITION;

    private final SnapshotIngest ingest;
    private final IngestAuthenticator authenticator;

    public SnapshotIngestRoute(SnapshotIngest ingest, IngestAuthenticator authenticator) {
        this.ingest = ingest;
        this.authenticator = authenticator;
    }

    @Override
    public void handle(Context ctx) {
        IngestRequests.Admitted request = IngestRequests.admit(ctx, authenticator, "snapshots");
        if (request == null) return;
        String caller = request.caller();
        List<Violation> violations = new ArrayList<>();
        List<Snapshot> snapshots = parse(request.body(), violations);
        if (!violations.isEmpty()) {
            // found before the ingest ran (which counts its own rejections)
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.INVALID);
            IngestRequests.rejectInvalid(ctx, violations, IngestRequests.countItems(violations));
            return;
        }
        try {
            IngestResult result = ingest.ingest(IngestChannel.HTTP, caller, SnapshotSource.feedsAgain(sink -> {
                for (int i = 0; i < snapshots.size(); i++) sink.add(i, snapshots.get(i));
            }), RevisionRules.of(request.access().onChangedValue()));
            answer(ctx, 200, result.toJson());
        } catch (InvalidSnapshotsException e) {
            IngestRequests.rejectInvalid(ctx, e.violations(), e.invalidItems());
        } catch (SnapshotConflictException e) {
            Map<String, Object> out = error(e.conflicts().size() + " snapshot(s) have the key of a stored snapshot (or of an earlier"
                    + " item) with different values; nothing was written");
            out.put("conflicts", IngestReports.conflicts(e.conflicts(), POSITION));
            answer(ctx, 409, out);
        } catch (ConcurrentRevisionException e) {
            ctx.header("Retry-After", IngestRequests.RETRY_AFTER_SECONDS);
            answer(ctx, 503, error(e.getMessage()));
        } catch (RuntimeException e) {
            if (IngestRequests.isTransient(e)) {
                LOG.warn("Snapshot batch from {} not written, the database is unavailable: {}", caller, e.getMessage());
                ctx.header("Retry-After", IngestRequests.RETRY_AFTER_SECONDS);
                answer(ctx, 503, error("the database is unavailable; nothing was written, retry later"));
            } else {
                LOG.error("Snapshot batch from {} failed", caller, e);
                answer(ctx, 500, error("internal error; nothing was written: " + e.getMessage()));
            }
        }
    }

    /**
     * The batch's snapshots, or violations: the whole body is checked before anything is written. A
     * well-formed batch is read in one streaming pass; any other body as a tree, which words what is wrong.
     */
    private List<Snapshot> parse(byte[] body, List<Violation> violations) {
        List<?> items = JsonSnapshotBatchReader.read(body);
        if (items == null) {
            JsonNode tree = IngestRequests.items(body, "snapshots", violations);
            if (tree == null) return List.of();
            List<JsonNode> nodes = new ArrayList<>(tree.size());
            tree.forEach(nodes::add);
            items = nodes;
        }
        ingest.validator().checkBatchSize(items.size(), violations);
        if (!violations.isEmpty()) return List.of();
        List<Snapshot> snapshots = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            RawSnapshot raw = item instanceof RawSnapshot r ? r : JsonSnapshotReader.read(i, (JsonNode) item, violations);
            if (raw == null) continue;
            Snapshot s = ingest.validator().validate(i, raw, violations);
            if (s != null) snapshots.add(s);
        }
        return snapshots;
    }

    private static Map<String, Object> error(String message) {
        return IngestRequests.error(message);
    }

    private static void answer(Context ctx, int status, Object body) {
        IngestRequests.answer(ctx, status, body);
    }
}
