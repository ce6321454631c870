package org.visutility.orchestrator.collect;

import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * A COPY ... FROM STDIN in text format, fed row by row through a buffer that is sent in large
 * pieces: how the staging tables of snapshots and of distributions are filled.
 */
final class CopyText {
    private static final int FLUSH_CHARS = 1 << 16;

    private final CopyIn copy;
    private final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 4096);

    private CopyText(CopyIn copy) {
        this.copy = copy;
    }

    static CopyText start(Handle handle, String copySql) throws SQLException {
        return new CopyText(handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(copySql));
    }

    /** Where the caller writes its row (tab-separated, ending in a newline). */
    StringBuilder row() {
        return buffer;
    }

    /** After each row: sends the buffer once it is large. */
    void rowDone() {
        if (buffer.length() >= FLUSH_CHARS) flush();
    }

    private void flush() {
        if (buffer.length() == 0) return;
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new IllegalStateException("COPY into the staging table failed: " + e.getMessage(), e);
        }
        buffer.setLength(0);
    }

    /** Ends the COPY; the rows are then visible to this connection. */
    void finish() throws SQLException {
        flush();
        copy.endCopy();
    }

    /** Abandons the COPY (invalid input): nothing is staged. */
    void cancel() {
        try {
            if (copy.isActive()) copy.cancelCopy();
        } catch (SQLException e) {
            // the connection is going back to the pool, which checks it; the next use empties the table
        }
    }

    /**
     * A text as one element of an array literal inside COPY text: double-quoted, with quotes and
     * backslashes escaped for the array, then backslashes escaped again for COPY. The text holds no
     * control characters (validated).
     */
    static void appendArrayElement(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') b.append("\\\\\"");
            else if (c == '\\') b.append("\\\\\\\\");
            else b.append(c);
        }
        b.append('"');
    }
}
