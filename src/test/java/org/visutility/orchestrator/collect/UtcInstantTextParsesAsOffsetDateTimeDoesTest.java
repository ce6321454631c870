package org.visutility.orchestrator.collect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fast path gives the general parser's instant for the common form and leaves every other text to it. */
class UtcInstantTextParsesAsOffsetDateTimeDoesTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-03-01T10:15:30Z", "2024-02-29T23:59:59.5Z", "2026-12-31T00:00:00.123456789Z",
            "2026-01-02T03:04:05.000001Z", "1970-01-01T00:00:00Z", "2026-03-01T10:15:30+02:00", "2026-03-01T10:15Z",
            "2026-03-01T10:15:30.12-05:30", "2026-01-01T10:00:00.Z"})
    void validTextGivesTheGeneralParsersInstant(String text) {
        assertThat(UtcInstantText.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-01T10:15:30Z", "2024-02-29T23:59:59.5Z", "2026-12-31T00:00:00.123456789Z"})
    void theCommonFormTakesTheFastPath(String text) {
        assertThat(UtcInstantText.fast(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T10:60:00Z",
            "2026-01-01T10:00:60Z", "2026-01-01T10:00:00.1234567890Z", "2026-01-01 10:00:00Z",
            "2026-01-01T10:00:00", "2026-1-01T10:00:00Z", "+2026-01-01T10:00:00Z", "2026-01-01T10:00:0xZ"})
    void invalidTextFailsAsTheGeneralParserFails(String text) {
        assertThat(UtcInstantText.fast(text)).isNull();
        assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> UtcInstantText.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
