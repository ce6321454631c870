package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.TextTable;

/** How the promote, reject and rollback commands print what they did. */
final class ChangesText {
    private ChangesText() {
    }

    /** The changes as a table: VERSION, FROM, TO, ACTOR, REASON. */
    static String table(OperatorActions.Outcome outcome) {
        TextTable t = new TextTable("VERSION", "FROM", "TO", "ACTOR", "REASON");
        for (Change c : outcome.changes()) {
            t.row(c.version(), c.from().map(VersionStatus::sql).orElse("(new)"), c.to().sql(), c.actor(), c.reason());
        }
        return t.toString();
    }

    /** {"model", "version", "was", "status", "changed", "retired", "changes": [...]} */
    static ObjectNode json(OperatorActions.Outcome outcome) {
        VersionRow v = outcome.version();
        VersionStatus now = outcome.changes().stream().filter(c -> c.versionId() == v.id()).reduce((a, b) -> b)
                .map(Change::to).orElse(v.status());
        ObjectNode n = Json.MAPPER.createObjectNode().put("model", v.model()).put("version", v.version())
                .put("was", v.status().sql()).put("status", now.sql()).put("changed", outcome.changed())
                .put("retired", outcome.retirement().map(Change::version).orElse(null));
        ArrayNode list = n.putArray("changes");
        outcome.changes().forEach(c -> list.add(c.toJson()));
        return n;
    }
}
