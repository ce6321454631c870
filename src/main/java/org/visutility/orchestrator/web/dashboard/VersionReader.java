package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A model's version lifecycle for its page: the periods each version was active (the bands on its
 * timelines), the approvals, rejections and rollbacks (the markers) and its status changes newest
 * first (the version history table), all within one optional time window.
 */
final class VersionReader {
    static final int DEFAULT_EVENTS = 100;
    static final int MAX_EVENTS = 1000;
    /** Bands and markers beyond these (the oldest) would not be told apart on a chart anyway. */
    static final int MAX_BANDS = 1000;
    static final int MAX_MARKERS = 1000;

    private final ReadOnlyDatabase db;

    VersionReader(ReadOnlyDatabase db) {
        this.db = db;
    }

    record Request(String model, Optional<Instant> from, Optional<Instant> to, int limit) {
    }

    ObjectNode read(Request r) {
        RequestParams.ordered(r.from(), r.to());
        return db.read(h -> read(h, r));
    }

    private ObjectNode read(Handle h, Request r) {
        long modelId = ModelReader.modelId(h, r.model());
        // one more than asked tells whether older changes were left out
        List<ObjectNode> events = events(h, modelId, r, false, r.limit() + 1);
        boolean truncated = events.size() > r.limit();
        List<ObjectNode> markers = new ArrayList<>(events(h, modelId, r, true, MAX_MARKERS));
        Collections.reverse(markers); // oldest first, like the charts' other marks
        List<ObjectNode> bands = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "VersionBands").bind("model_id", modelId)
                .bindByType("from", utc(r.from()), OffsetDateTime.class)
                .bindByType("to", utc(r.to()), OffsetDateTime.class)
                .bind("limit", MAX_BANDS));

        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("model", r.model());
        ObjectNode window = out.putObject("window");
        window.put("from", r.from().map(Instant::toString).orElse(null));
        window.put("to", r.to().map(Instant::toString).orElse(null));
        out.put("limit", r.limit());
        out.set("bands", Json.MAPPER.valueToTree(bands));
        out.set("markers", Json.MAPPER.valueToTree(markers));
        out.put("events_truncated", truncated);
        out.set("events", Json.MAPPER.valueToTree(truncated ? events.subList(0, r.limit()) : events));
        return out;
    }

    /** The model's changes in the window, newest first; only the charts' markers when {@code markers}. */
    private static List<ObjectNode> events(Handle h, long modelId, Request r, boolean markers, int limit) {
        return ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "VersionEvents").bind("model_id", modelId)
                .bindByType("from", utc(r.from()), OffsetDateTime.class)
                .bindByType("to", utc(r.to()), OffsetDateTime.class)
                .bind("markers", markers)
                .bind("limit", limit));
    }

    private static OffsetDateTime utc(Optional<Instant> instant) {
        return instant.map(i -> i.atOffset(ZoneOffset.UTC)).orElse(null);
    }
}
