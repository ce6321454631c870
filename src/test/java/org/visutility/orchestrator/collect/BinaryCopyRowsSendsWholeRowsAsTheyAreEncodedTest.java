package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The binary COPY rows go to the server in pieces while they are encoded, each piece ending at a
 * row boundary, and what arrives is PostgreSQL's binary COPY format: the signature, the rows field
 * by field, the trailer.
 */
class BinaryCopyRowsSendsWholeRowsAsTheyAreEncodedTest {
    private static final int ROWS = 5000;

    @Test
    void manyRowsArriveInSeveralPiecesThatTogetherAreTheWholeCopyInput() throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        List<Integer> pieces = new ArrayList<>();
        BinaryCopyRows rows = new BinaryCopyRows((bytes, offset, length) -> {
            pieces.add(length);
            sent.write(bytes, offset, length);
        });
        for (int i = 0; i < ROWS; i++) {
            rows.startRow(4);
            rows.int8(i);
            rows.timestamp(Instant.parse("2000-01-01T00:00:01Z"));
            rows.text("segment-" + i);
            rows.jsonb("{\"accuracy\":0.5}");
        }
        rows.finish();

        assertThat(pieces).as("sent while encoding, not once at the end").hasSizeGreaterThan(1);
        assertThat(pieces.subList(0, pieces.size() - 1)).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(BinaryCopyRows.SEND_AT));

        ByteBuffer in = ByteBuffer.wrap(sent.toByteArray());
        byte[] signature = new byte[11];
        in.get(signature);
        assertThat(signature).isEqualTo(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        assertThat(in.getInt()).as("flags").isZero();
        assertThat(in.getInt()).as("header extension").isZero();
        List<Integer> rowOffsets = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rowOffsets.add(in.position());
            assertThat(in.getShort()).isEqualTo((short) 4);
            assertThat(in.getInt()).isEqualTo(8);
            assertThat(in.getLong()).isEqualTo(i);
            assertThat(in.getInt()).isEqualTo(8);
            assertThat(in.getLong()).as("microseconds since 2000-01-01").isEqualTo(1_000_000L);
            byte[] text = new byte[in.getInt()];
            in.get(text);
            assertThat(new String(text, StandardCharsets.UTF_8)).isEqualTo("segment-" + i);
            byte[] jsonb = new byte[in.getInt()];
            in.get(jsonb);
            assertThat(jsonb[0]).as("jsonb version").isEqualTo((byte) 1);
            assertThat(new String(jsonb, 1, jsonb.length - 1, StandardCharsets.US_ASCII)).isEqualTo("{\"accuracy\":0.5}");
        }
        assertThat(in.getShort()).as("trailer").isEqualTo((short) -1);
        assertThat(in.hasRemaining()).isFalse();

        int boundary = 0;
        for (int i = 0; i < pieces.size() - 1; i++) {
            boundary += pieces.get(i);
            assertThat(rowOffsets).as("piece %d ends where a row starts", i).contains(boundary);
        }
    }

    @Test
    void jsonTextThatIsNotAsciiIsRefusedRatherThanSentWrong() {
        BinaryCopyRows rows = new BinaryCopyRows((bytes, offset, length) -> { });
        assertThatThrownBy(() -> rows.jsonb("{\"é\":1}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonTextEncodedAheadIsSentAsTheSameBytesAsJsonTextEncodedWhileSending() throws Exception {
        ByteArrayOutputStream fromText = new ByteArrayOutputStream();
        ByteArrayOutputStream fromBytes = new ByteArrayOutputStream();
        BinaryCopyRows text = new BinaryCopyRows((bytes, offset, length) -> fromText.write(bytes, offset, length));
        BinaryCopyRows ahead = new BinaryCopyRows((bytes, offset, length) -> fromBytes.write(bytes, offset, length));
        text.startRow(1);
        text.jsonb("{\"accuracy\":0.5,\"auc\":0.75}");
        text.finish();
        ahead.startRow(1);
        ahead.jsonb("{\"accuracy\":0.5,\"auc\":0.75}".getBytes(StandardCharsets.US_ASCII));
        ahead.finish();
        assertThat(fromBytes.toByteArray()).isEqualTo(fromText.toByteArray());
    }
}
