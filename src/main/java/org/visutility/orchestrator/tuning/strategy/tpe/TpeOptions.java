package org.visutility.orchestrator.tuning.strategy.tpe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Violations;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code strategy: {name: tpe, ...}} options. The defaults are Optuna's TPESampler's except
 * three, chosen on {@code bench search} (Branin and Hartmann-6, 200 seeds × 60 trials): a joint
 * (multivariate) estimator whose bandwidths follow the neighbour rule, and a good group of 20%
 * rather than 10%. {@code {multivariate: false, gamma: 0.1}} is Optuna's default sampler.
 *
 * @param startupTrials     random proposals until this many trials completed or were pruned
 * @param candidates        draws from l(x) scored by l(x)/g(x) per proposal (n_ei_candidates)
 * @param multivariate      one joint estimator over all parameters instead of one per parameter
 * @param gamma             the good group is the best ⌈gamma·n⌉ trials ...
 * @param gammaMax          ... but at most this many
 * @param priorWeight       the prior component's weight (each observation weighs at most 1)
 * @param considerEndpoints the range's ends count as neighbours for the outermost bandwidths
 * @param magicClip         bandwidths at least range / min(100, n + 2)
 * @param bandwidth         how numeric kernels' widths are chosen
 * @param constantLiar      trials still running count as bad, so parallel proposals spread out
 * @param failed            what a failed trial tells the search
 * @param maxObservations   the estimators learn from at most this many finished trials: the good group, and of
 *                          the rest the best-ranked half and the most recent half (so a proposal costs the same
 *                          at 10,000 trials as at 1,000)
 */
public record TpeOptions(int startupTrials, int candidates, boolean multivariate, double gamma, int gammaMax,
                         double priorWeight, boolean considerEndpoints, boolean magicClip, Bandwidth bandwidth,
                         boolean constantLiar, FailedTrials failed, int maxObservations) {

    /** How a numeric kernel's width is chosen. */
    public enum Bandwidth {
        /** The distance to the farther neighbour on that parameter (Optuna's univariate rule, hyperopt's too). */
        NEIGHBOUR,
        /** 0.2 · n^(−1/(d+4)) of the range, the same for every observation (Optuna's multivariate rule). */
        SCOTT
    }

    /** What a failed trial tells the search. */
    public enum FailedTrials {
        /** Its params go into the bad group, below every complete or pruned trial: the search steers away from them. */
        BAD,
        /** It is left out, as Optuna does: failures tell nothing about the objective. */
        IGNORE
    }

    public static final int DEFAULT_STARTUP_TRIALS = 10;
    public static final int DEFAULT_CANDIDATES = 24;
    public static final double DEFAULT_GAMMA = 0.2;
    public static final int DEFAULT_GAMMA_MAX = 25;
    public static final double DEFAULT_PRIOR_WEIGHT = 1.0;
    public static final int DEFAULT_MAX_OBSERVATIONS = 500;
    public static final int MAX_MAX_OBSERVATIONS = 1_000_000;
    public static final int MAX_STARTUP_TRIALS = 100_000;
    public static final int MAX_CANDIDATES = 10_000;
    public static final double MAX_PRIOR_WEIGHT = 1000;

    static final String[] KEYS = {"name", "seed", "startup_trials", "candidates", "multivariate", "gamma", "gamma_max",
            "prior_weight", "consider_endpoints", "magic_clip", "bandwidth", "constant_liar", "failed_trials",
            "max_observations"};

    /** The defaults: see the class comment; the constant liar is on (the engine runs parallel trials), failed trials count as bad. */
    public static TpeOptions defaults() {
        return new TpeOptions(DEFAULT_STARTUP_TRIALS, DEFAULT_CANDIDATES, true, DEFAULT_GAMMA, DEFAULT_GAMMA_MAX,
                DEFAULT_PRIOR_WEIGHT, false, true, Bandwidth.NEIGHBOUR, true, FailedTrials.BAD,
                DEFAULT_MAX_OBSERVATIONS);
    }

    /** How many of n ranked trials form the good group: min(⌈gamma·n⌉, gamma_max). */
    int goodCount(int n) {
        return (int) Math.min(Math.ceil(gamma * n), gammaMax);
    }

    /** An option spelled as one of the enum's constants in lower case ({@code neighbour}, {@code bad}). */
    private static <E extends Enum<E>> E choice(ObjectNode s, String key, Class<E> type, E fallback, Violations v) {
        Optional<String> text = Fields.text(s, key, "strategy", v, false);
        if (text.isEmpty()) return fallback;
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(text.get())) return e;
        }
        List<String> spellings = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        v.add("strategy." + key, "must be " + String.join(" or ", spellings) + " (is '" + text.get() + "')");
        return fallback;
    }

    /** Reads the options, recording every problem under {@code strategy}; empty when there was one. */
    public static Optional<TpeOptions> parse(ObjectNode s, Violations v) {
        int before = v.size();
        Fields.onlyKeys(s, "strategy", v, KEYS);
        TpeOptions d = defaults();
        int startup = Fields.wholeNumber(s, "startup_trials", "strategy", v, false, 0, MAX_STARTUP_TRIALS)
                .map(Long::intValue).orElse(d.startupTrials());
        int candidates = Fields.wholeNumber(s, "candidates", "strategy", v, false, 1, MAX_CANDIDATES)
                .map(Long::intValue).orElse(d.candidates());
        boolean multivariate = Fields.bool(s, "multivariate", "strategy", v).orElse(d.multivariate());
        double gamma = Fields.number(s, "gamma", "strategy", v, false).orElse(d.gamma());
        if (s.has("gamma") && Double.isFinite(gamma) && (gamma <= 0 || gamma > 1)) {
            v.add("strategy.gamma", "must be more than 0 and at most 1 (the fraction of trials that make the good group; is " + gamma + ")");
        }
        int gammaMax = Fields.wholeNumber(s, "gamma_max", "strategy", v, false, 1, MAX_STARTUP_TRIALS)
                .map(Long::intValue).orElse(d.gammaMax());
        double priorWeight = Fields.number(s, "prior_weight", "strategy", v, false).orElse(d.priorWeight());
        if (s.has("prior_weight") && (priorWeight <= 0 || priorWeight > MAX_PRIOR_WEIGHT)) {
            v.add("strategy.prior_weight", "must be more than 0 and at most " + (int) MAX_PRIOR_WEIGHT + " (is " + priorWeight + ")");
        }
        boolean endpoints = Fields.bool(s, "consider_endpoints", "strategy", v).orElse(d.considerEndpoints());
        boolean magicClip = Fields.bool(s, "magic_clip", "strategy", v).orElse(d.magicClip());
        Bandwidth bandwidth = choice(s, "bandwidth", Bandwidth.class, d.bandwidth(), v);
        boolean liar = Fields.bool(s, "constant_liar", "strategy", v).orElse(d.constantLiar());
        FailedTrials failed = choice(s, "failed_trials", FailedTrials.class, d.failed(), v);
        int maxObservations = Fields.wholeNumber(s, "max_observations", "strategy", v, false, 2, MAX_MAX_OBSERVATIONS)
                .map(Long::intValue).orElse(d.maxObservations());
        if (v.size() == before && maxObservations <= gammaMax) {
            v.add("strategy.max_observations", "must be more than gamma_max (" + gammaMax
                    + "), so that the bad group keeps some trials (is " + maxObservations + ")");
        }
        if (v.size() > before) return Optional.empty();
        return Optional.of(new TpeOptions(startup, candidates, multivariate, gamma, gammaMax, priorWeight, endpoints,
                magicClip, bandwidth, liar, failed, maxObservations));
    }
}
