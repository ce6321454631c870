package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.core.Json;

import java.util.List;

/** Models: the list with each one's health, one model with its versions and policies, the headline counts. */
final class ModelReader {
    /** A model has few versions and policies; these bound a pathological one. */
    static final int MAX_VERSIONS = 1000;
    static final int MAX_POLICIES = 1000;

    private final ReadOnlyDatabase db;

    ModelReader(ReadOnlyDatabase db) {
        this.db = db;
    }

    JsonNode overview() {
        return db.read(h -> ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "Overview")).get(0));
    }

    ObjectNode list(int limit) {
        return db.read(h -> {
            List<ObjectNode> models = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "Models")
                    .bind("name", (String) null).bind("limit", limit));
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("limit", limit);
            out.set("models", Json.MAPPER.valueToTree(models));
            return out;
        });
    }

    ObjectNode one(String name) {
        return db.read(h -> {
            long modelId = modelId(h, name);
            ObjectNode model = ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "Models")
                    .bind("name", name).bind("limit", 1)).get(0);
            model.set("versions", Json.MAPPER.valueToTree(ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "ModelVersions")
                    .bind("model_id", modelId).bind("limit", MAX_VERSIONS))));
            ArrayNode policies = Json.MAPPER.createArrayNode();
            for (ObjectNode p : ReadOnlyDatabase.rows(ReadOnlyDatabase.query(h, "ModelPolicies")
                    .bind("model_id", modelId).bind("limit", MAX_POLICIES))) {
                ArrayNode conditions = p.putArray("conditions");
                PolicyCondition.of(p.get("spec")).forEach(c -> conditions.add(c.toJson()));
                policies.add(p);
            }
            model.set("policies", policies);
            return model;
        });
    }

    /** The model's id, or a 404 naming it. */
    static long modelId(Handle h, String name) {
        return ReadOnlyDatabase.query(h, "ModelId").bind("name", name).mapTo(Long.class).findOne()
                .orElseThrow(() -> ApiError.notFound("no model named '" + name + "'"));
    }
}
