package org.visutility.orchestrator.web.dashboard;

import io.javalin.http.Context;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads and checks the read API's parameters; a bad one is a 400 naming the parameter and the rule. */
final class RequestParams {
    private RequestParams() {
    }

    /** An optional count from 1 to {@code max}, {@code defaultValue} when absent. */
    static int count(Context ctx, String name, int defaultValue, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return defaultValue;
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= 1 && value <= max) return value;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest(name + " must be an integer from 1 to " + max + ", got '" + raw + "'");
    }

    /** A path parameter that must be a positive id. */
    static long id(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            long value = Long.parseLong(raw);
            if (value >= 1) return value;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest(name + " must be a positive integer, got '" + raw + "'");
    }

    /** An optional instant in ISO-8601 with an offset, e.g. 2026-11-20T00:00:00Z. */
    static Optional<Instant> instant(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return Optional.empty();
        try {
            return Optional.of(OffsetDateTime.parse(raw.strip()).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name + " must be an ISO-8601 instant with an offset such as 2026-11-20T00:00:00Z, got '"
                    + raw + "'");
        }
    }

    /** An optional value from a fixed set. */
    static Optional<String> oneOf(Context ctx, String name, Set<String> allowed) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return Optional.empty();
        if (allowed.contains(raw.strip())) return Optional.of(raw.strip());
        throw ApiError.badRequest(name + " must be one of " + String.join(", ", new TreeSet<>(allowed)) + ", got '" + raw + "'");
    }

    /** An optional free-text value (a name), trimmed. */
    static Optional<String> text(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
    }
}
