package org.visutility.orchestrator.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private static final double[] INCOME_EDGES = {0, 20, 40, 60, 80, 100};
    private static final long[] INCOME = {100, 250, 300, 250, 100};
    private static final long[] INCOME_MOVED = {300, 300, 200, 150, 50};
    private static final double[] UTILIZATION_EDGES = {0, 0.2, 0.4, 0.6, 0.8, 1.0};
    private static final long[] UTILIZATION = {200, 300, 250, 150, 100};
    private static final long[] UTILIZATION_MOVED = {50, 150, 250, 300, 250};
    private static final double[] AGE_EDGES = {18, 30, 45, 60, 75, 100};
    private static final long[] AGE = {200, 300, 250, 150, 100};
    /** The score on tenths (0.5, the threshold, is an edge); confident scores at both ends, or pushed to the middle. */
    private static final double[] SCORE_EDGES = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    private static final long[] SCORES = {450, 200, 50, 20, 20, 20, 20, 20, 50, 150};
    private static final long[] SCORES_MIDDLE = {100, 100, 150, 200, 150, 100, 80, 50, 30, 40};

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
        List<Double> mids = new ArrayList<>();
        for (int b = 0; b + 1 < SCORE_EDGES.length; b++) mids.add(Math.round((SCORE_EDGES[b] + SCORE_EDGES[b + 1]) * 50) / 100.0);
        calibration.put("edges", SCORE_EDGES);
        // well calibrated on the training rows: in each tenth the share that defaulted is its mean score
        calibration.put("predicted_mean", mids);
        calibration.put("observed_rate", mids);
        calibration.put("counts", SCORES);
        calibration.put("threshold", 0.5);
        calibration.put("positive_class", "default");
        return Map.of("features", List.of(histogram("income", INCOME_EDGES, INCOME), histogram("utilization", UTILIZATION_EDGES, UTILIZATION),
                histogram("age", AGE_EDGES, AGE), histogram("prediction", SCORE_EDGES, SCORES)), "calibration", calibration);
    }

    /** The body of POST /api/v1/distributions for the hours {@code from} down to {@code to} before the origin. */
    Map<String, Object> distributions(int from, int to) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int h = from; h >= to; h--) {
            boolean moved = firstEpisode(h) || secondEpisode(h);
            out.add(keyed(histogram("income", INCOME_EDGES, moved ? INCOME_MOVED : INCOME), h));
            out.add(keyed(histogram("utilization", UTILIZATION_EDGES, moved ? UTILIZATION_MOVED : UTILIZATION), h));
            out.add(keyed(histogram("age", AGE_EDGES, AGE), h));
            out.add(keyed(histogram("prediction", SCORE_EDGES, firstEpisode(h) ? SCORES_MIDDLE : SCORES), h));
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
        return psi(INCOME_MOVED, INCOME);
    }

    /** PSI of the moved utilization histogram against the reference. */
    public static double movedUtilizationPsi() {
        return psi(UTILIZATION_MOVED, UTILIZATION);
    }

    /** PSI of the scores pushed to the middle against the reference. */
    public static double middleScoresPsi() {
        return psi(SCORES_MIDDLE, SCORES);
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

    private static Map<String, Object> histogram(String feature, double[] edges, long[] counts) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("feature", feature);
        h.put("kind", "numeric");
        h.put("bins", edges);
        h.put("counts", counts);
        return h;
    }
}
