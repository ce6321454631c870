package org.visutility.orchestrator.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the HTTP API refuses: the status, a message naming the field and the rule (or the
 * missing thing), and any further fields of the answer (a list of violations). The server turns it
 * into {@code {"status": ..., "error": "...", ...}}.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final Map<String, Object> details = new LinkedHashMap<>();

    public ApiProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ApiProblem badRequest(String message) {
        return new ApiProblem(400, message);
    }

    public static ApiProblem notFound(String message) {
        return new ApiProblem(404, message);
    }

    /** The request is understood, but the state of what it names refuses it (a transition, a restart). */
    public static ApiProblem conflict(String message) {
        return new ApiProblem(409, message);
    }

    /** Adds a field to the answer (e.g. "violations"). */
    public ApiProblem with(String field, Object value) {
        details.put(field, value);
        return this;
    }

    public int status() {
        return status;
    }

    /** The answer's body. */
    public Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("error", getMessage());
        out.putAll(details);
        return out;
    }
}
