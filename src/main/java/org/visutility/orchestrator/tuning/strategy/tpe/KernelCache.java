package org.visutility.orchestrator.tuning.strategy.tpe;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * What a numeric kernel costs to know, by parameter, centre and width, kept across proposals:
 * its normalising constant (log of its mass inside the range) and, for a discrete parameter, the
 * log mass of each value's bin as values are asked for. An observation's kernel mostly keeps its
 * width from one proposal to the next (most widths sit at the clip), so these are computed once
 * rather than at every proposal. Each entry is a pure function of its key: caching changes no result.
 */
final class KernelCache {
    /** Past this many kernels for one parameter the cache starts over. */
    private static final int MAX_ENTRIES = 100_000;

    private record Key(double mu, double sigma) {
    }

    /** One kernel's constants. */
    static final class Kernel {
        final double logNorm;
        private final int values;
        private double[] binLogMass;

        Kernel(double logNorm, int values) {
            this.logNorm = logNorm;
            this.values = values;
        }

        /** The normalised log mass of value {@code i}'s bin, or NaN when not known yet. */
        double bin(int i) {
            return binLogMass == null ? Double.NaN : binLogMass[i];
        }

        double remember(int i, double logMass) {
            if (binLogMass == null) {
                binLogMass = new double[values];
                Arrays.fill(binLogMass, Double.NaN);
            }
            binLogMass[i] = logMass;
            return logMass;
        }
    }

    private final Map<String, Map<Key, Kernel>> byParameter = new HashMap<>();

    /**
     * The kernel (mu, sigma) of {@code parameter}.
     *
     * @param values  how many values the parameter has (discrete; 0 for a continuous one)
     * @param logNorm computes the normalising constant when the kernel is new
     */
    Kernel kernel(String parameter, double mu, double sigma, int values, DoubleSupplier logNorm) {
        Map<Key, Kernel> kernels = byParameter.computeIfAbsent(parameter, p -> new HashMap<>());
        Key key = new Key(mu, sigma);
        Kernel k = kernels.get(key);
        if (k != null) return k;
        if (kernels.size() >= MAX_ENTRIES) kernels.clear();
        k = new Kernel(logNorm.getAsDouble(), values);
        kernels.put(key, k);
        return k;
    }
}
