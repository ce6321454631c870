package org.visutility.orchestrator.tuning.strategy.tpe;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A Parzen estimator: a weighted mixture with one component per observation plus a prior
 * component (centred, as wide as the range; uniform over the choices), each component a product
 * of one kernel per dimension — a truncated normal on a numeric parameter's line (its bin's mass
 * for a discrete one), a smoothed point mass on a categorical one. With one dimension it is
 * the univariate estimator of Bergstra et al. (2011); with all of them, the joint
 * (multivariate) one of Falkner et al. (2018). Bandwidths follow Optuna's TPESampler: on each
 * dimension, the distance to the farther neighbour ({@code neighbour}, Optuna's univariate rule)
 * or 0.2·n^(−1/(d+4)) of the range ({@code scott}, Optuna's multivariate rule), clipped to
 * [range / min(100, n + 2), range] by the "magic clip".
 */
final class ParzenEstimator {
    /** Multivariate bandwidth: this fraction of the range times n^(−1/(d+4)). */
    private static final double SIGMA0 = 0.2;
    /** Bandwidth floor without the magic clip. */
    private static final double MIN_SIGMA = 1e-12;
    /** The magic clip's floor is range / min(this, n + 2). */
    private static final double MAGIC_CLIP_DIVISOR = 100;
    /** Discrete parameters with at most this many values keep their kernels' masses in tables. */
    private static final long MAX_TABLE = 4096;
    /** Components this far (in log density) below the largest add less than e^-40 of it: skipped. */
    private static final double NEGLIGIBLE = 40;

    private final List<Dimension> dims;
    private final int components;
    private final double[] logWeights;
    private final double[] cumulativeWeights;
    private final Kernel[] kernels;

    /**
     * @param columns one array per dimension: the observations' internal coordinates, in group order
     * @param orders  per dimension, the observations' indices sorted by value (equal values by
     *                index), when the caller keeps them sorted; null (or a null entry) to sort here
     * @param weights each observation's weight (not normalised); the prior gets {@code priorWeight}
     * @param cache   where numeric kernels' normalising constants are kept across estimators
     */
    ParzenEstimator(List<Dimension> dims, double[][] columns, int[][] orders, double[] weights, TpeOptions options,
                    KernelCache cache) {
        this.dims = dims;
        int n = weights.length;
        this.components = n + 1;
        double[] w = new double[components];
        System.arraycopy(weights, 0, w, 0, n);
        w[n] = n == 0 ? 1 : options.priorWeight();
        double total = Arrays.stream(w).sum();
        logWeights = new double[components];
        cumulativeWeights = new double[components];
        double running = 0;
        for (int k = 0; k < components; k++) {
            logWeights[k] = Math.log(w[k] / total);
            running += w[k] / total;
            cumulativeWeights[k] = running;
        }
        kernels = new Kernel[dims.size()];
        for (int d = 0; d < dims.size(); d++) {
            int[] order = orders == null ? null : orders[d];
            kernels[d] = dims.get(d) instanceof Dimension.Numeric num
                    ? new NumericKernel(num, columns[d], order, options, dims.size(), cache)
                    : new CategoricalKernel((Dimension.Categorical) dims.get(d), columns[d], options.priorWeight());
        }
    }

    /** A draw: a component by weight, then each dimension from that component's kernel. */
    double[] sample(Random random) {
        double u = random.nextDouble();
        int k = Arrays.binarySearch(cumulativeWeights, u);
        k = k >= 0 ? k : Math.min(components - 1, -k - 1);
        double[] x = new double[dims.size()];
        for (int d = 0; d < x.length; d++) x[d] = kernels[d].sample(k, random);
        return x;
    }

    /** The log density (log probability for discrete dimensions) at {@code x}. */
    double logPdf(double[] x) {
        double[] acc = logWeights.clone();
        for (int d = 0; d < kernels.length; d++) kernels[d].addLogDensities(x[d], acc);
        double max = Double.NEGATIVE_INFINITY;
        for (double a : acc) max = Math.max(max, a);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (double a : acc) {
            if (a - max > -NEGLIGIBLE) sum += Math.exp(a - max);
        }
        return max + Math.log(sum);
    }

    private interface Kernel {
        double sample(int component, Random random);

        /** Adds every component's log density at {@code x} to {@code acc}. */
        void addLogDensities(double x, double[] acc);
    }

    private static final class NumericKernel implements Kernel {
        private final Dimension.Numeric dim;
        private final double[] mu;
        private final double[] sigma;
        private final double[] inverseSigma;
        /** log σ + log(mass of the line) for continuous kernels; log(mass of the line) for discrete ones. */
        private final double[] logNorm;
        /** Discrete parameters with a table: each component's cached kernel (bin masses by value). */
        private final KernelCache.Kernel[] cached;

        NumericKernel(Dimension.Numeric dim, double[] observed, int[] order, TpeOptions options, int dimensions, KernelCache cache) {
            this.dim = dim;
            int n = observed.length;
            double range = dim.range();
            double[] sigmas = options.bandwidth() == TpeOptions.Bandwidth.SCOTT
                    ? scottSigmas(n, dimensions, range)
                    : neighbourSigmas(observed, order == null ? sortedOrder(observed) : order, options.considerEndpoints());
            double minSigma = options.magicClip() ? range / Math.min(MAGIC_CLIP_DIVISOR, n + 2.0) : MIN_SIGMA;
            mu = new double[n + 1];
            sigma = new double[n + 1];
            inverseSigma = new double[n + 1];
            logNorm = new double[n + 1];
            for (int i = 0; i < n; i++) {
                mu[i] = observed[i];
                sigma[i] = Math.min(range, Math.max(minSigma, sigmas[i]));
            }
            mu[n] = dim.low() + range / 2;
            sigma[n] = range;
            boolean tabled = dim.discrete() && dim.count() <= MAX_TABLE;
            cached = tabled ? new KernelCache.Kernel[n + 1] : null;
            for (int k = 0; k <= n; k++) {
                double m = mu[k];
                double s = sigma[k];
                inverseSigma[k] = 1 / s;
                KernelCache.Kernel kernel = cache.kernel(dim.name(), m, s, tabled ? (int) dim.count() : 0,
                        () -> Gaussians.logMass((dim.low() - m) / s, (dim.high() - m) / s));
                logNorm[k] = dim.discrete() ? kernel.logNorm : kernel.logNorm + Math.log(s);
                if (tabled) cached[k] = kernel;
            }
        }

        private static double[] scottSigmas(int n, int dimensions, double range) {
            double s = SIGMA0 * Math.pow(Math.max(n, 1), -1.0 / (dimensions + 4)) * range;
            double[] sigmas = new double[n];
            Arrays.fill(sigmas, s);
            return sigmas;
        }

        /**
         * Each observation's distance to its farther neighbour, the prior's centre counted as a
         * point (the last one among equal values: its index is the highest).
         *
         * @param order the observations' indices sorted by value, equal values by index
         */
        private double[] neighbourSigmas(double[] observed, int[] order, boolean considerEndpoints) {
            int n = observed.length;
            double centre = dim.low() + dim.range() / 2;
            double[] sorted = new double[n + 3];
            int[] owner = new int[n + 1];
            sorted[0] = dim.low();
            int p = 0;
            boolean priorPlaced = false;
            for (int k = 0; k < n; k++) {
                double v = observed[order[k]];
                if (!priorPlaced && v > centre) {
                    owner[p] = n;
                    sorted[++p] = centre;
                    priorPlaced = true;
                }
                owner[p] = order[k];
                sorted[++p] = v;
            }
            if (!priorPlaced) {
                owner[p] = n;
                sorted[++p] = centre;
            }
            sorted[n + 2] = dim.high();
            double[] bySorted = new double[n + 1];
            for (int i = 0; i <= n; i++) bySorted[i] = Math.max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
            if (!considerEndpoints && n >= 1) {
                bySorted[0] = sorted[2] - sorted[1];
                bySorted[n] = sorted[n + 1] - sorted[n];
            }
            double[] sigmas = new double[n];
            for (int i = 0; i <= n; i++) {
                if (owner[i] < n) sigmas[owner[i]] = bySorted[i];
            }
            return sigmas;
        }

        /** The indices of {@code values} sorted by value, equal values by index (primitive sorts only). */
        static int[] sortedOrder(double[] values) {
            int n = values.length;
            double[] byValue = values.clone();
            Arrays.sort(byValue);
            int[] taken = new int[n];
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                int first = lowerBound(byValue, values[i]);
                order[first + taken[first]++] = i;
            }
            return order;
        }

        private static int lowerBound(double[] sorted, double v) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < v) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        @Override
        public double sample(int k, Random random) {
            return dim.snap(Gaussians.truncated(random, mu[k], sigma[k], dim.low(), dim.high()));
        }

        @Override
        public void addLogDensities(double x, double[] acc) {
            if (!dim.discrete()) {
                for (int k = 0; k < acc.length; k++) {
                    double z = (x - mu[k]) * inverseSigma[k];
                    acc[k] += -0.5 * z * z - Gaussians.LOG_SQRT_2PI - logNorm[k];
                }
                return;
            }
            double lo = dim.binLow(x);
            double hi = dim.binHigh(x);
            if (cached == null) {
                for (int k = 0; k < acc.length; k++) acc[k] += binLogMass(k, lo, hi);
                return;
            }
            int value = (int) dim.valueIndex(x);
            for (int k = 0; k < acc.length; k++) {
                double m = cached[k].bin(value);
                if (Double.isNaN(m)) m = cached[k].remember(value, binLogMass(k, lo, hi));
                acc[k] += m;
            }
        }

        private double binLogMass(int k, double lo, double hi) {
            return Gaussians.logMass((lo - mu[k]) * inverseSigma[k], (hi - mu[k]) * inverseSigma[k]) - logNorm[k];
        }
    }

    /**
     * Each observation's kernel puts weight 1 + p/K on its choice and p/K on every choice
     * (p the prior weight, K the number of components), normalised; the prior is uniform.
     */
    private static final class CategoricalKernel implements Kernel {
        private final int size;
        private final int[] observed;
        private final double logHit;
        private final double logMiss;
        private final double logUniform;

        CategoricalKernel(Dimension.Categorical dim, double[] observed, double priorWeight) {
            this.size = dim.size();
            int n = observed.length;
            this.observed = new int[n];
            for (int i = 0; i < n; i++) this.observed[i] = (int) observed[i];
            double base = priorWeight / (n + 1);
            double rowTotal = base * size + 1;
            logHit = Math.log((base + 1) / rowTotal);
            logMiss = Math.log(base / rowTotal);
            logUniform = -Math.log(size);
        }

        @Override
        public double sample(int k, Random random) {
            if (k == observed.length) return random.nextInt(size);
            double rowTotal = Math.exp(logHit) + (size - 1) * Math.exp(logMiss);
            double u = random.nextDouble() * rowTotal;
            double hit = Math.exp(logHit);
            if (u < hit) return observed[k];
            // one of the other choices, uniformly
            int other = Math.min(size - 2, (int) ((u - hit) / Math.exp(logMiss)));
            return other >= observed[k] ? other + 1 : other;
        }

        @Override
        public void addLogDensities(double x, double[] acc) {
            int choice = (int) x;
            int n = observed.length;
            for (int k = 0; k < n; k++) acc[k] += observed[k] == choice ? logHit : logMiss;
            acc[n] += logUniform;
        }
    }
}
