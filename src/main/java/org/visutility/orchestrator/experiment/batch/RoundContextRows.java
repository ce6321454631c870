package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;
import org.visutility.orchestrator.tuning.trainer.RoundContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/** Reads an experiment's {@link RoundContext} when its run starts (a restart reads it again: the serving version may have changed). */
final class RoundContextRows {
    private static final String ROUND = SqlFiles.load(RoundContextRows.class, "RoundContext");

    private RoundContextRows() {
    }

    static RoundContext load(Handle h, long experiment) {
        return h.createQuery(ROUND).bind("experiment", experiment).map((rs, ctx) -> {
            RoundContext.Trigger trigger = new RoundContext.Trigger(rs.getString("trigger"), rs.getString("policy"),
                    (Integer) rs.getObject("policy_version"), rs.getString("condition"), SqlValues.doubleOrNull(rs, "observed"),
                    SqlValues.doubleOrNull(rs, "threshold"), text(SqlValues.instant(rs, "evaluated_at")),
                    text(SqlValues.instant(rs, "window_start")), text(SqlValues.instant(rs, "window_end")));
            return new RoundContext(rs.getString("model"), Optional.ofNullable(rs.getString("serving_version")),
                    object(rs.getString("serving_hyperparameters")), RoundContext.trigger(trigger), rs.getInt("round"));
        }).one();
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private static ObjectNode object(String json) {
        if (json == null) return JsonNodeFactory.instance.objectNode();
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            return n instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
