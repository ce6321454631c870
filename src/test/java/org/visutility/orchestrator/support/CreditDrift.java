package org.visutility.orchestrator.support;

import org.visutility.orchestrator.bench.CreditHistograms;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.visutility.orchestrator.bench.CreditHistograms.AGE;
import static org.visutility.orchestrator.bench.CreditHistograms.INCOME;
import static org.visutility.orchestrator.bench.CreditHistograms.PREDICTION;
import static org.visutility.orchestrator.bench.CreditHistograms.UTILIZATION;

/**
 * What {@link RealHistory} tells the orchestrator of model {@code credit} (version {@value #VERSION}), a
 * binary classifier whose labels (repaid or defaulted) land a day late: the version's reference (three
 * input features and its predicted score, with the score's calibration), an hourly histogram of each
 * feature and of the score for the last 30 hours (as a model server sends them), and the realised
 * accuracy of the older hours once their labels land.
 *
 * <p>The hours, counted back from the history's origin: 30 to 25 were sent before the reference was set
 * (not comparable); {@value #FIRST_EPISODE_FROM} to {@value #FIRST_EPISODE_TO} moved income and
 * utilization and pushed the scores towards the middle (the estimated accuracy falls); {@value
 * #SECOND_EPISODE_FROM} to {@value #SECOND_EPISODE_TO} moved the same two inputs but not the scores; age
 * never moved. The labels of hours 30 to {@value #LABELLED_UNTIL} have landed: the first episode's
 * accuracy was 0.82, below the drift rule's realised line (0.85) but above the estimate's (0.80); the
 * second episode's hours have no label yet.
 */
public final class CreditDrift {
    public static final String MODEL = "credit";
    public static final String VERSION = "c1";
    public static final String DRIFT_POLICY = "credit-input-drift";
    public static final String ESTIMATED_POLICY = "credit-estimated-accuracy";
    public static final int FIRST_EPISODE_FROM = 20;
    public static final int FIRST_EPISODE_TO = 18;
    public static final int SECOND_EPISODE_FROM = 12;
    public static final int SECOND_EPISODE_TO = 10;
    /** Hours before this one have no reference yet when they are sent. */
    static final int REFERENCE_SET_AT_HOUR = 24;
    public static final int LABELLED_UNTIL = 14;
    public static final double EPISODE_ACCURACY = 0.82;
    public static final double USUAL_ACCURACY = 0.90;
    private static final String SOURCE = "scoring-service";
    private static final long PER_HOUR = 1000;

    private final Instant origin;

    CreditDrift(Instant origin) {
        this.origin = origin;
    }

    Instant hour(int hoursAgo) {
        return origin.minus(Duration.ofHours(hoursAgo));
    }

    public static boolean firstEpisode(int hoursAgo) {
        return hoursAgo <= FIRST_EPISODE_FROM && hoursAgo >= FIRST_EPISODE_TO;
    }

    public static boolean secondEpisode(int hoursAgo) {
        return hoursAgo <= SECOND_EPISODE_FROM && hoursAgo >= SECOND_EPISODE_TO;
    }

    /** The body of {@code references set credit c1 FILE}: the training rows' histograms and the score's calibration. */
    Map<String, Object> references() {
        Map<String, Object> calibration = new LinkedHashMap<>();
        double[] mids = CreditHistograms.predictionMidpoints();
        calibration.put("edges", PREDICTION.edges());
        // well calibrated on the training rows: in each tenth the share that defaulted is its mean score
        calibration.put("predicted_mean", mids);
        calibration.put("observed_rate", mids);
        calibration.put("counts", PREDICTION.usual());
        calibration.put("threshold", 0.5);
        calibration.put("positive_class", "default");
        List<Map<String, Object>> features = new ArrayList<>();
        for (CreditHistograms f : CreditHistograms.values()) features.add(histogram(f, f.usual()));
        return Map.of("features", features, "calibration", calibration);
    }

    /** The body of POST /api/v1/distributions for the hours {@code from} down to {@code to} before the origin. */
    Map<String, Object> distributions(int from, int to) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int h = from; h >= to; h--) {
            boolean moved = firstEpisode(h) || secondEpisode(h);
            out.add(keyed(histogram(INCOME, INCOME.counts(moved)), h));
            out.add(keyed(histogram(UTILIZATION, UTILIZATION.counts(moved)), h));
            out.add(keyed(histogram(AGE, AGE.usual()), h));
            out.add(keyed(histogram(PREDICTION, PREDICTION.counts(firstEpisode(h))), h));
        }
        return Map.of("distributions", out);
    }

    /** The snapshots of realised accuracy once the labels of hours 30 to {@value #LABELLED_UNTIL} landed. */
    List<Map<String, Object>> lateLabels() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int h = 30; h >= LABELLED_UNTIL; h--) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("model", MODEL);
            s.put("version", VERSION);
            s.put("observed_at", hour(h).toString());
            s.put("sample_count", PER_HOUR);
            s.put("source", "labels");
            s.put("metrics", Map.of("accuracy", firstEpisode(h) ? EPISODE_ACCURACY : USUAL_ACCURACY));
            out.add(s);
        }
        return out;
    }

    /** The two rules on credit: PSI on the listed inputs, reconciled with accuracy; and CBPE's estimated accuracy. */
    static String policies() {
        return """
                  - name: %s
                    model: %s
                    when: {drift: {features: [income, utilization, age], method: psi, above: 0.2, window: 3h, min_samples: 500,
                                   reconcile: {metric: accuracy, below: 0.85}}}
                    cooldown: 1d
                    experiment: credit-tuning.yaml
                  - name: %s
                    model: %s
                    when: {estimated: {metric: accuracy, below: 0.8, window: 3h, min_samples: 1000}}
                    cooldown: 1d
                    experiment: credit-tuning.yaml
                """.formatted(DRIFT_POLICY, MODEL, ESTIMATED_POLICY, MODEL);
    }

    /** What a firing enqueues: a search no node picks up in this history (they stay queued). */
    static String tuning() {
        return """
                name: credit retrain
                model: credit
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 1}
                budget: {trials: 4}
                space:
                  n: {type: int, low: 1, high: 4}
                trainer: {type: function, function: sphere}
                """;
    }

    /** PSI of the moved income histogram against the reference, as docs/policies.md defines it (proportions floored at 1e-4). */
    public static double movedIncomePsi() {
        return psi(INCOME.moved(), INCOME.usual());
    }

    /** PSI of the moved utilization histogram against the reference. */
    public static double movedUtilizationPsi() {
        return psi(UTILIZATION.moved(), UTILIZATION.usual());
    }

    /** PSI of the scores pushed to the middle against the reference. */
    public static double middleScoresPsi() {
        return psi(PREDICTION.moved(), PREDICTION.usual());
    }

    private static double psi(long[] production, long[] reference) {
        double n = java.util.Arrays.stream(production).sum();
        double m = java.util.Arrays.stream(reference).sum();
        double sum = 0;
        for (int i = 0; i < production.length; i++) {
            double p = Math.max(production[i] / n, 1e-4);
            double q = Math.max(reference[i] / m, 1e-4);
            sum += (p - q) * Math.log(p / q);
        }
        return sum;
    }

    private Map<String, Object> keyed(Map<String, Object> histogram, int hoursAgo) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", MODEL);
        d.put("version", VERSION);
        d.put("observed_at", hour(hoursAgo).toString());
        d.put("source", SOURCE);
        d.putAll(histogram);
        return d;
    }

    private static Map<String, Object> histogram(CreditHistograms feature, long[] counts) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("feature", feature.feature());
        h.put("kind", "numeric");
        h.put("bins", feature.edges());
        h.put("counts", counts);
        return h;
    }
}
