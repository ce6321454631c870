package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedSharedBuffersTest {
    private static final long GB = 1024L * 1024 * 1024;

    @Test
    void aQuarterOfTheMemory() {
        assertThat(EmbeddedSharedBuffers.defaultMb(8 * GB)).isEqualTo(2048);
        assertThat(EmbeddedSharedBuffers.defaultMb(23 * GB)).isEqualTo(23 * 1024 / 4);
    }

    @Test
    void neverBelowPostgresqlsOwnDefaultOnASmallContainer() {
        assertThat(EmbeddedSharedBuffers.defaultMb(256L * 1024 * 1024)).isEqualTo(128);
    }

    @Test
    void cappedOnALargeMachine() {
        assertThat(EmbeddedSharedBuffers.defaultMb(512 * GB)).isEqualTo(8192);
    }
}
