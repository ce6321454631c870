package org.visutility.orchestrator.node;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A request body read with a bound: a larger one is refused (413) unread, a declared larger one before reading. */
public final class RequestBody {
    /** What the control API accepts at most in one body (a spec, a policy file). */
    public static final int MAX_CONTROL_BODY_BYTES = 1 << 20;

    private RequestBody() {
    }

    /** The body as UTF-8 text of at most {@code limit} bytes; 413 when larger, 400 when unreadable or not UTF-8. */
    public static String text(Context ctx, int limit) {
        if (ctx.req().getContentLengthLong() > limit) throw tooLarge(limit);
        byte[] bytes;
        try {
            InputStream in = ctx.req().getInputStream();
            bytes = in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw ApiProblem.badRequest("body: could not be read (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > limit) throw tooLarge(limit);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiProblem.badRequest("body: is not UTF-8 text");
        }
    }

    /** The media type of the request without parameters, lower case; empty when none was sent. */
    public static String mediaType(Context ctx) {
        String type = ctx.contentType();
        if (type == null) return "";
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static ApiProblem tooLarge(int limit) {
        return new ApiProblem(413, "body: is larger than " + limit + " bytes (" + (limit >> 20) + " MiB), the most one request may send");
    }
}
