package org.visutility.orchestrator.policy;

import picocli.CommandLine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads an instant written as an ISO-8601 date-time with offset (2026-11-26T10:00:00Z) or a date (2026-11-26, midnight UTC). */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a time; write 2026-11-26T10:00:00Z (with an offset) or 2026-11-26 (midnight UTC)");
            }
        }
    }
}
