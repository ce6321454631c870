package org.visutility.orchestrator.policy.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a drift condition measures a feature's window against its reference (docs/policies.md,
 * Drift). Every method but chi_square drifts when its score is above the line; chi_square drifts
 * when the test's p-value is below it, so its sample size (the window's count) decides.
 */
public enum DriftMethod {
    PSI(false, 100),
    JENSEN_SHANNON(false, 1),
    WASSERSTEIN(false, 1),
    CHI_SQUARE(true, 1);

    private final boolean pValue;
    private final double maxLine;

    DriftMethod(boolean pValue, double maxLine) {
        this.pValue = pValue;
        this.maxLine = maxLine;
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the condition is on a p-value (drifted below the line) rather than a score (drifted above it). */
    public boolean onPValue() {
        return pValue;
    }

    /** The largest line that makes sense: PSI is unbounded (100 is far past any drift), the others are in [0, 1]. */
    public double maxLine() {
        return maxLine;
    }

    /** Whether the method compares numeric histograms only (categorical features are then not comparable). */
    public boolean numericOnly() {
        return this == WASSERSTEIN;
    }

    public static Optional<DriftMethod> bySpelling(String s) {
        return Arrays.stream(values()).filter(m -> m.spelling().equals(s)).findFirst();
    }

    public static String spellings() {
        return Arrays.stream(values()).map(DriftMethod::spelling).collect(Collectors.joining(", "));
    }
}
