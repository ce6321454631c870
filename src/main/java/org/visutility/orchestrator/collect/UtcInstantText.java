package org.visutility.orchestrator.collect;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Parses observed_at text as {@link OffsetDateTime#parse} does, with a fast path for the common
 * form {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}: a file of 200,000 snapshots parses each of them, and
 * the general parser costs several times the fast path. Any other text (another offset, no
 * seconds, an invalid date) goes to the general parser, which decides it and words its errors.
 */
final class UtcInstantText {
    private UtcInstantText() {
    }

    /** @throws java.time.format.DateTimeParseException as {@link OffsetDateTime#parse} */
    static Instant parse(String s) {
        Instant fast = fast(s);
        return fast != null ? fast : OffsetDateTime.parse(s).toInstant();
    }

    /** The instant of text in the common form, else null. */
    static Instant fast(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z') return null;
        if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') return null;
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nano = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n == 21) return null; // a fraction of 1 to 9 digits
            for (int i = 20; i < n - 1; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') return null;
                nano = nano * 10 + (c - '0');
            }
            for (int i = n - 1 - 20; i < 9; i++) nano *= 10;
        } else if (s.charAt(19) != 'Z') {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // no such date: the general parser words the error
        }
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nano);
    }

    /** The number written by the ASCII digits in [from, to), or -1. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
