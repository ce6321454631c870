package org.visutility.orchestrator.tuning.strategy.tpe;

import java.util.Random;

/**
 * The normal-distribution arithmetic the Parzen estimators need, in log space so that far tails
 * neither underflow nor lose their relative precision: log Φ, the log of the mass between two
 * points, and draws from a truncated normal.
 */
final class Gaussians {
    static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SQRT_HALF = Math.sqrt(0.5);
    /** Below this width (in standard deviations) a bin's mass is taken by the midpoint rule, which is then exact to ~1e-8. */
    private static final double NARROW_BIN = 0.05;
    /** Draws from a truncated normal before falling back to clamping (each draw lands inside with probability > 1/3). */
    private static final int MAX_DRAWS = 1000;

    private Gaussians() {
    }

    /** log φ(z), the standard normal density. */
    static double logPhi(double z) {
        return -0.5 * z * z - LOG_SQRT_2PI;
    }

    /** log Q(z) = log(1 − Φ(z)), the upper tail, with relative precision ~1e-7 for every z. */
    static double logUpperTail(double z) {
        double x = z * SQRT_HALF;
        if (x >= 0) return Math.log(0.5) + logErfcNonNegative(x);
        return Math.log1p(-0.5 * Math.exp(logErfcNonNegative(-x)));
    }

    /** log of the standard normal mass between a and b (a < b). */
    static double logMass(double a, double b) {
        if (b - a < NARROW_BIN) {
            double m = 0.5 * (a + b);
            double w = b - a;
            return logPhi(m) + Math.log(w) + Math.log1p((m * m - 1) * w * w / 24);
        }
        if (b <= 0) return logMass(-b, -a);
        if (a >= 0) {
            // both in the upper tail: Q(a) − Q(b), taken in log space
            double qa = logUpperTail(a);
            double qb = logUpperTail(b);
            return qa + Math.log1p(-Math.exp(qb - qa));
        }
        // a < 0 < b: 1 − Q(−a) − Q(b)
        return Math.log1p(-(Math.exp(logUpperTail(-a)) + Math.exp(logUpperTail(b))));
    }

    /** A draw from N(mu, sigma²) restricted to [low, high] (mu inside it). */
    static double truncated(Random random, double mu, double sigma, double low, double high) {
        for (int i = 0; i < MAX_DRAWS; i++) {
            double x = mu + sigma * random.nextGaussian();
            if (x >= low && x <= high) return x;
        }
        return Math.min(high, Math.max(low, mu));
    }

    /**
     * log erfc(x) for x ≥ 0 (Numerical Recipes' erfcc, fractional error below 1.2e-7), computed
     * as log t + exponent so that it stays finite however large x is.
     */
    private static double logErfcNonNegative(double x) {
        double t = 1 / (1 + 0.5 * x);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        return Math.log(t) - x * x + poly;
    }
}
