package org.visutility.orchestrator.policy.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How the values of a metric in a window are combined into one observed value. */
public enum Aggregate {
    LAST, MEAN, MIN, MAX,
    /** The mean weighted by each snapshot's sample count. */
    WEIGHTED_MEAN;

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Aggregate> bySpelling(String text) {
        return Arrays.stream(values()).filter(a -> a.spelling().equals(text)).findFirst();
    }

    public static String spellings() {
        return String.join(", ", Arrays.stream(values()).map(Aggregate::spelling).toList());
    }
}
