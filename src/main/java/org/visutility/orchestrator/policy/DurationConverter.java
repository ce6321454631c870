package org.visutility.orchestrator.policy;

import org.visutility.orchestrator.config.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** Reads a duration as settings are written: 500ms, 30s, 5m, 2h, 1d. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
