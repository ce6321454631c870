package org.visutility.orchestrator.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import org.visutility.orchestrator.core.Json;

import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The small JSON object a control route takes as its options ({@code {"force": true, "reason": "..."}}):
 * an empty body is {@code {}}; a key the route does not know, or a value of the wrong type, is a 400
 * naming it. The request must say {@code Content-Type: application/json} even when its body is
 * empty: a browser cannot send that to another site without asking first (CORS), and this server
 * never agrees, so a web page cannot make a visitor's browser cancel or promote on a loopback node.
 */
public final class JsonBody {
    /** Options are a few short fields; more is not a request of ours. */
    public static final int MAX_BYTES = 16 * 1024;

    private final ObjectNode body;

    private JsonBody(ObjectNode body) {
        this.body = body;
    }

    public static JsonBody read(Context ctx, Set<String> keys) {
        String type = RequestBody.mediaType(ctx);
        if (!"application/json".equals(type)) {
            throw new ApiProblem(415, "Content-Type: must be application/json (the body may be empty or {}), got " + (type.isEmpty() ? "none" : type));
        }
        String text = RequestBody.text(ctx, MAX_BYTES);
        if (text.isBlank()) return new JsonBody(Json.MAPPER.createObjectNode());
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw ApiProblem.badRequest("body: is not JSON; send a JSON object with " + known(keys));
        }
        if (!(root instanceof ObjectNode object)) throw ApiProblem.badRequest("body: must be a JSON object with " + known(keys));
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!keys.contains(f)) {
                String shown = f.length() > 40 ? f.substring(0, 40) + "..." : f;
                throw ApiProblem.badRequest(shown + ": unknown key; this route knows " + known(keys));
            }
        }
        return new JsonBody(object);
    }

    public boolean flag(String key) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw ApiProblem.badRequest(key + ": must be true or false");
        return v.booleanValue();
    }

    public Optional<String> text(String key) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw ApiProblem.badRequest(key + ": must be a string");
        return Optional.of(v.asText());
    }

    private static String known(Set<String> keys) {
        return keys.isEmpty() ? "no keys ({})" : String.join(", ", keys.stream().sorted().toList());
    }
}
