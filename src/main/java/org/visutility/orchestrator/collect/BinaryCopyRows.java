package org.visutility.orchestrator.collect;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;

/**
 * Rows in PostgreSQL's binary COPY format, sent as they are encoded: the server reads numbers and
 * timestamps as they are stored instead of parsing their text, which is most of what a text COPY
 * of snapshots costs it, and it inserts the rows already sent while the next ones are encoded (a
 * buffer of {@link #SEND_AT} bytes, never the whole chunk). Used for snapshots whose keys are all
 * new (NewSnapshotsCopy).
 */
final class BinaryCopyRows {
    /** Where the encoded bytes go: the COPY's input. */
    @FunctionalInterface
    interface Out {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    /** The bytes gathered before they are sent (at the start of the next row). */
    static final int SEND_AT = 64 * 1024;

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch of timestamps, in Unix epoch microseconds. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final byte JSONB_VERSION = 1;

    private final Out out;
    private byte[] bytes = new byte[SEND_AT + 1024];
    private int length;

    BinaryCopyRows(Out out) {
        this.out = out;
        put(SIGNATURE, 0, SIGNATURE.length);
        int32(0); // flags: no OIDs
        int32(0); // no header extension
    }

    void startRow(int fields) throws SQLException {
        if (length >= SEND_AT) send();
        int16(fields);
    }

    void int8(long v) {
        int32(8);
        int64(v);
    }

    void float8(double v) {
        int32(8);
        int64(Double.doubleToLongBits(v));
    }

    /** A timestamptz already at microsecond precision (the validator truncates observed_at). */
    void timestamp(Instant at) {
        int8(Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000) - POSTGRES_EPOCH_MICROS);
    }

    void text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int32(b.length);
        put(b, 0, b.length);
    }

    /**
     * jsonb's binary form: a version byte, then the JSON text (the server still parses it). The text
     * must be ASCII, as snapshot metrics are (validated names, numbers), so each char is one byte.
     */
    void jsonb(CharSequence asciiJson) {
        int n = asciiJson.length();
        int32(n + 1);
        ensure(n + 1);
        bytes[length++] = JSONB_VERSION;
        for (int i = 0; i < n; i++) {
            char c = asciiJson.charAt(i);
            if (c > 0x7F) throw new IllegalArgumentException("jsonb text must be ASCII here");
            bytes[length++] = (byte) c;
        }
    }

    /** jsonb's binary form from JSON text already encoded as ASCII (see {@link #jsonb(CharSequence)}). */
    void jsonb(byte[] asciiJson) {
        int32(asciiJson.length + 1);
        ensure(asciiJson.length + 1);
        bytes[length++] = JSONB_VERSION;
        put(asciiJson, 0, asciiJson.length);
    }

    void nullField() {
        int32(-1);
    }

    /** Ends the data (the trailer) and sends what is left. */
    void finish() throws SQLException {
        int16(-1);
        send();
    }

    private void send() throws SQLException {
        out.write(bytes, 0, length);
        length = 0;
    }

    private void int16(int v) {
        ensure(2);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        bytes[length++] = (byte) (v >>> 24);
        bytes[length++] = (byte) (v >>> 16);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
    }

    private void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }

    private void put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
}
