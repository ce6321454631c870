package org.visutility.orchestrator.collect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an accepted batch did: how many snapshots it held, how many keys were new, how many changed
 * values were stored as revisions of stored keys, how many were already stored with the same values.
 *
 * @param batchId the orchestrator.ingest_batch row, or null when nothing was new or revised (a resent batch writes nothing)
 * @param models  the models the batch's snapshots belong to
 */
public record IngestResult(Long batchId, IngestChannel channel, String origin, int snapshots, int inserted, int revised,
                           int duplicate, Set<String> models) {

    /** A batch that revised nothing. */
    public IngestResult(Long batchId, IngestChannel channel, String origin, int snapshots, int inserted, int duplicate,
                        Set<String> models) {
        this(batchId, channel, origin, snapshots, inserted, 0, duplicate, models);
    }

    /** The answer body of POST /api/v1/snapshots and of {@code orchestrator ingest --json}. */
    public Map<String, Object> toJson() {
        return toJson("snapshots");
    }

    /** The answer body, the number of items under {@code itemsName} (snapshots, distributions). */
    public Map<String, Object> toJson(String itemsName) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("batch_id", batchId);
        out.put(itemsName, snapshots);
        out.put("inserted", inserted);
        out.put("revised", revised);
        out.put("duplicate", duplicate);
        return out;
    }
}
