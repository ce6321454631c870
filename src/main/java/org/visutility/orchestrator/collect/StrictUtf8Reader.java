package org.visutility.orchestrator.collect;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 text that stops at the first byte sequence that is not UTF-8 with a
 * {@link java.nio.charset.CharacterCodingException}, having first handed out all the text before
 * it. (An {@link java.io.InputStreamReader} drops the text it decoded in the same read, so a file
 * import would name a line well before the bad bytes.)
 */
final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes;
    private CoderResult error;
    private boolean endOfInput;
    private boolean flushed;

    StrictUtf8Reader(InputStream in, int bufferBytes) {
        this.in = in;
        this.bytes = ByteBuffer.allocate(bufferBytes);
        bytes.flip();
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) return 0;
        CharBuffer out = CharBuffer.wrap(buffer, offset, length);
        while (true) {
            if (error != null) {
                if (out.position() > offset) return out.position() - offset; // the good text first
                error.throwException();
            }
            if (flushed) return out.position() > offset ? out.position() - offset : -1;
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                error = result;
            } else if (result.isOverflow() || out.position() > offset) {
                return out.position() - offset;
            } else if (endOfInput) {
                decoder.flush(out);
                flushed = true;
            } else {
                fill();
            }
        }
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
