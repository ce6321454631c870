package org.visutility.orchestrator.reference;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reliability table of a binary classifier's predicted probability of {@code positiveClass} on
 * its reference data: per score bin, the mean predicted probability, the share truly positive and
 * how many rows. What estimated performance (CBPE) relies on.
 */
public record Calibration(double[] edges, double[] predictedMean, double[] observedRate, long[] counts, double threshold,
                          String positiveClass) {
    public static final double DEFAULT_THRESHOLD = 0.5;
    public static final String DEFAULT_POSITIVE_CLASS = "1";

    /**
     * The expected calibration error: the count-weighted mean of |predicted_mean - observed_rate|
     * over the bins (bins without rows weigh nothing).
     */
    public double error() {
        double weighted = 0;
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            weighted += counts[i] * Math.abs(predictedMean[i] - observedRate[i]);
            total += counts[i];
        }
        return total == 0 ? 0 : weighted / total;
    }

    /** The JSON form of a references file's {@code calibration}. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("edges", edges);
        out.put("predicted_mean", predictedMean);
        out.put("observed_rate", observedRate);
        out.put("counts", counts);
        out.put("threshold", threshold);
        out.put("positive_class", positiveClass);
        out.put("calibration_error", error());
        return out;
    }
}
