package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictUtf8ReaderTest {

    private static Reader reader(byte[] bytes, int bufferBytes) {
        return new StrictUtf8Reader(new ByteArrayInputStream(bytes), bufferBytes);
    }

    private static String readAll(Reader r) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] chunk = new char[3];
        for (int n; (n = r.read(chunk, 0, chunk.length)) >= 0; ) text.append(chunk, 0, n);
        return text.toString();
    }

    @Test
    void multiByteCharactersSplitAcrossReadsDecodeWhole() throws IOException {
        String text = "café, naïve: 数据 😀\nline two\n";
        assertThat(readAll(reader(text.getBytes(StandardCharsets.UTF_8), 4))).isEqualTo(text);
        assertThat(readAll(reader(new byte[0], 4))).isEmpty();
    }

    @Test
    void theTextBeforeBadBytesIsHandedOutBeforeTheError() throws IOException {
        byte[] good = "one\ntwo\nthr".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(good, good.length + 3);
        bytes[good.length] = (byte) 0xE9; // Latin-1 é
        bytes[good.length + 1] = 'e';
        bytes[good.length + 2] = '\n';
        BufferedReader lines = new BufferedReader(reader(bytes, 1 << 16));
        assertThat(lines.readLine()).isEqualTo("one");
        assertThat(lines.readLine()).isEqualTo("two");
        assertThatThrownBy(lines::readLine).isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void aSequenceCutOffAtTheEndIsAnError() {
        byte[] bytes = {'o', 'k', (byte) 0xC3};
        assertThatThrownBy(() -> readAll(reader(bytes, 16))).isInstanceOf(CharacterCodingException.class);
    }
}
