package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/distributions}: the snapshots' route for histograms (same tokens, content type,
 * size and batch limits): validate the whole batch, write it in one transaction. 200 with counts;
 * 400 listing every bad item by index, field and rule; 401/403; 409 naming each key stored with
 * another histogram (histograms are never revised, whatever the token); 413; 415; 503 (with
 * Retry-After) only for faults worth retrying.
 */
public final class DistributionIngestRoute implements Handler {
    public static final String PATH = "/api/v1/distributions";
    private static final Logger LOG = LoggerFactory.getLogger(DistributionIngestRoute.class);

    private final DistributionIngest ingest;
    private final IngestAuthenticator authenticator;

    public DistributionIngestRoute(DistributionIngest ingest, IngestAuthenticator authenticator) {
        this.ingest = ingest;
        this.authenticator = authenticator;
    }

    @Override
    public void handle(Context ctx) {
        IngestRequests.Admitted request = IngestRequests.admit(ctx, authenticator, "histograms");
        if (request == null) return;
        List<Violation> violations = new ArrayList<>();
        List<Distribution> items = parse(request.body(), violations);
        if (!violations.isEmpty()) {
            IngestMetrics.rejected(IngestChannel.HTTP, IngestMetrics.Reason.INVALID);
            IngestRequests.rejectInvalid(ctx, violations, IngestRequests.countItems(violations));
            return;
        }
        try {
            IngestResult result = ingest.ingest(IngestChannel.HTTP, request.caller(), sink -> {
                for (int i = 0; i < items.size(); i++) sink.add(i, items.get(i));
            });
            IngestRequests.answer(ctx, 200, result.toJson(DistributionBatchValidator.ITEMS));
        } catch (InvalidSnapshotsException e) {
            IngestRequests.rejectInvalid(ctx, e.violations(), e.invalidItems());
        } catch (DistributionConflictException e) {
            Map<String, Object> out = IngestRequests.error(e.conflicts().size() + " histogram(s) have the key of a stored histogram (or of"
                    + " an earlier item) with other bins or counts; distributions are never revised; nothing was written");
            out.put("conflicts", conflicts(e.conflicts()));
            IngestRequests.answer(ctx, 409, out);
        } catch (RuntimeException e) {
            if (IngestRequests.isTransient(e)) {
                LOG.warn("Distribution batch from {} not written, the database is unavailable: {}", request.caller(), e.getMessage());
                ctx.header("Retry-After", IngestRequests.RETRY_AFTER_SECONDS);
                IngestRequests.answer(ctx, 503, IngestRequests.error("the database is unavailable; nothing was written, retry later"));
            } else {
                LOG.error("Distribution batch from {} failed", request.caller(), e);
                IngestRequests.answer(ctx, 500, IngestRequests.error("internal error; nothing was written: " + e.getMessage()));
            }
        }
    }

    /** The batch's histograms, or violations: the whole body is checked before anything is written. */
    private List<Distribution> parse(byte[] body, List<Violation> violations) {
        JsonNode items = IngestRequests.items(body, DistributionBatchValidator.ITEMS, violations);
        if (items == null) return List.of();
        ingest.validator().checkBatchSize(items.size(), violations);
        if (!violations.isEmpty()) return List.of();
        List<Distribution> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            RawDistribution raw = JsonDistributionReader.read(i, items.get(i), violations);
            if (raw == null) continue;
            Distribution d = ingest.validator().validate(i, raw, violations);
            if (d != null) out.add(d);
        }
        return out;
    }

    static List<Map<String, Object>> conflicts(List<DistributionConflictException.Conflict> conflicts) {
        return IngestReports.distributionConflicts(conflicts, IngestRequests.POSITION);
    }
}
