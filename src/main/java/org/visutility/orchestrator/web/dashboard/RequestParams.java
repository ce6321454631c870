package org.visutility.orchestrator.web.dashboard;

import io.javalin.http.Context;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and checks the read API's parameters; a bad one is a 400 naming the parameter and the rule.
 * No value reaches the database unchecked: PostgreSQL text holds no NUL, and its timestamps end in
 * year 294276, so either would otherwise be a 500.
 */
final class RequestParams {
    /** The instants a from or to may name: the years PostgreSQL and every reader agree on. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    /** How much of a bad value an error message repeats. */
    private static final int SHOWN_CHARS = 60;

    private RequestParams() {
    }

    /** An optional count from 1 to {@code max}, {@code defaultValue} when absent. */
    static int count(Context ctx, String name, int defaultValue, int max) {
        String raw = query(ctx, name);
        if (raw == null || raw.isBlank()) return defaultValue;
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= 1 && value <= max) return value;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest(name + " must be an integer from 1 to " + max + ", got " + shown(raw));
    }

    /** A path parameter that must be a positive id. */
    static long id(Context ctx, String name) {
        String raw = path(ctx, name);
        try {
            long value = Long.parseLong(raw);
            if (value >= 1) return value;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest(name + " must be a positive integer, got " + shown(raw));
    }

    /** A path parameter that is a name (a model's). */
    static String name(Context ctx, String name) {
        return path(ctx, name);
    }

    /** An optional instant in ISO-8601 with an offset, e.g. 2026-11-20T00:00:00Z. */
    static Optional<Instant> instant(Context ctx, String name) {
        String raw = query(ctx, name);
        if (raw == null || raw.isBlank()) return Optional.empty();
        Instant at;
        try {
            at = OffsetDateTime.parse(raw.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name + " must be an ISO-8601 instant with an offset such as 2026-11-20T00:00:00Z, got "
                    + shown(raw));
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw ApiError.badRequest(name + " must be between " + EARLIEST + " and " + LATEST + ", got " + shown(raw));
        }
        return Optional.of(at);
    }

    /** A time window's ends, when both are given, in order: a 400 otherwise. */
    static void ordered(Optional<Instant> from, Optional<Instant> to) {
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw ApiError.badRequest("from must be before to, got from=" + from.get() + " to=" + to.get());
        }
    }

    /** An optional value from a fixed set. */
    static Optional<String> oneOf(Context ctx, String name, Set<String> allowed) {
        String raw = query(ctx, name);
        if (raw == null || raw.isBlank()) return Optional.empty();
        if (allowed.contains(raw.strip())) return Optional.of(raw.strip());
        throw ApiError.badRequest(name + " must be one of " + String.join(", ", new TreeSet<>(allowed)) + ", got " + shown(raw));
    }

    /** An optional free-text value (a name), trimmed. */
    static Optional<String> text(Context ctx, String name) {
        String raw = query(ctx, name);
        return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
    }

    private static String query(Context ctx, String name) {
        return checked(name, ctx.queryParam(name));
    }

    private static String path(Context ctx, String name) {
        return checked(name, ctx.pathParam(name));
    }

    /** The value, or a 400 when it holds a control character (NUL among them) or bytes that were not UTF-8. */
    private static String checked(String name, String raw) {
        if (raw == null) return null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isISOControl(c)) {
                throw ApiError.badRequest(name + " must not contain control characters such as NUL, got " + shown(raw));
            }
            // what the server decodes bytes that are not UTF-8 to
            if (c == '\uFFFD') throw ApiError.badRequest(name + " must be UTF-8 text, got " + shown(raw));
        }
        return raw;
    }

    /** A value quoted for an error message: cut short, control characters written as escapes. */
    static String shown(String raw) {
        String cut = raw.length() > SHOWN_CHARS ? raw.substring(0, SHOWN_CHARS) + "..." : raw;
        StringBuilder b = new StringBuilder(cut.length() + 2).append('\'');
        cut.chars().forEach(c -> {
            if (Character.isISOControl(c)) b.append(String.format(Locale.ROOT, "\\u%04x", c));
            else b.append((char) c);
        });
        return b.append('\'').toString();
    }
}
