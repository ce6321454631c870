package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.visutility.orchestrator.tuning.CategoricalParameter;
import org.visutility.orchestrator.tuning.FloatParameter;
import org.visutility.orchestrator.tuning.IntParameter;
import org.visutility.orchestrator.tuning.Parameter;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.strategy.Seeds;
import org.visutility.orchestrator.tuning.trainer.BenchmarkFunction;
import org.visutility.orchestrator.tuning.trainer.FunctionTrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One problem of {@code bench search}: a search space, the value to minimise at a point of it, its
 * known minimum and what kinds of parameters it has. Besides Branin and Hartmann-6 over floats,
 * the suite has problems whose structure only a search that honours int, log and categorical
 * parameters can use, and a noisy one. The same definitions are in {@code ops/bench/optuna_search.py},
 * which measured Optuna's figures.
 */
public interface SearchProblem {
    String name();

    /** The parameters' kinds, as printed ("6 floats", "2 ints (one log) + 2 categoricals"). */
    String kinds();

    SearchSpace space();

    /** The known global minimum of {@link #value}. */
    double minimum();

    /** The true value at {@code params}. */
    double value(Params params);

    /** What trial {@code number} of the run with {@code seed} observes: the value, plus noise for a noisy problem. */
    default double observe(Params params, long seed, int number) {
        return value(params);
    }

    /** Branin (2 floats) and Hartmann-6 (6 floats) on their standard domains, then the mixed, log-scaled and noisy ones. */
    static List<SearchProblem> suite() {
        return List.of(new OnDomain(BenchmarkFunction.BRANIN), new OnDomain(BenchmarkFunction.HARTMANN6), new Mixed(),
                new LogRosenbrock(), new NoisyHartmann6());
    }

    /** A built-in function on its standard domain, as float parameters x1, x2, ... */
    record OnDomain(BenchmarkFunction function) implements SearchProblem {
        @Override
        public String name() {
            return function.spelling();
        }

        @Override
        public String kinds() {
            return function.dimensions().orElseThrow() + " floats";
        }

        @Override
        public SearchSpace space() {
            int d = function.dimensions().orElseThrow();
            List<Parameter> parameters = new ArrayList<>();
            for (int i = 0; i < d; i++) {
                parameters.add(new FloatParameter("x" + (i + 1), function.lower(i), function.upper(i), false, null));
            }
            return new SearchSpace(parameters);
        }

        @Override
        public double minimum() {
            return function.minimum();
        }

        @Override
        public double value(Params params) {
            return new FunctionTrainer(space(), function).evaluate(params);
        }
    }

    /**
     * A network-shaped mixed problem: {@code optimizer} (sgd, momentum, adam, rmsprop), {@code layers}
     * (int 1-32), {@code units} (int 4-4096, log), {@code batch_size} (int 16-1024, step 16) and
     * {@code activation} (relu, tanh, sigmoid). With d = layers − best_layers(optimizer) (sgd 4,
     * momentum 9, adam 17, rmsprop 13), u = log2 units − 7 and b = log2 batch_size − 7 − u/2:
     * base(optimizer) + 0.002·d² + 0.05·(1 − cos(πd/2)) + 0.05·u² + 0.2·b² + penalty(activation)
     * (relu 0, tanh 0.1, sigmoid 0.2, and sigmoid 0.01 more per layer). The best depth depends on
     * the optimizer, the best batch size on the units, and depth has local minima every 4 layers.
     * Minimum 0 at adam, 17 layers, 128 units, batch size 128, relu.
     */
    final class Mixed implements SearchProblem {
        private static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam", "rmsprop");
        private static final double[] BASE = {0.5, 0.25, 0.0, 0.1};
        private static final int[] BEST_LAYERS = {4, 9, 17, 13};
        private static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid");
        private static final double[] ACTIVATION_PENALTY = {0.0, 0.1, 0.2};

        @Override
        public String name() {
            return "mixed";
        }

        @Override
        public String kinds() {
            return "3 ints (one log, one stepped) + 2 categoricals";
        }

        @Override
        public SearchSpace space() {
            return new SearchSpace(List.of(
                    new CategoricalParameter("optimizer", OPTIMIZERS.stream().map(s -> (JsonNode) TextNode.valueOf(s)).toList()),
                    new IntParameter("layers", 1, 32, false, 1),
                    new IntParameter("units", 4, 4096, true, 1),
                    new IntParameter("batch_size", 16, 1024, false, 16),
                    new CategoricalParameter("activation", ACTIVATIONS.stream().map(s -> (JsonNode) TextNode.valueOf(s)).toList())));
        }

        @Override
        public double minimum() {
            return 0;
        }

        @Override
        public double value(Params p) {
            int o = OPTIMIZERS.indexOf(p.get("optimizer").asText());
            int a = ACTIVATIONS.indexOf(p.get("activation").asText());
            long layers = p.get("layers").asLong();
            double d = layers - BEST_LAYERS[o];
            double u = log2(p.get("units").asDouble()) - 7;
            double b = log2(p.get("batch_size").asDouble()) - 7 - u / 2;
            return BASE[o] + 0.002 * d * d + 0.05 * (1 - Math.cos(Math.PI * d / 2)) + 0.05 * u * u + 0.2 * b * b
                    + ACTIVATION_PENALTY[a] + (a == 2 ? 0.01 * layers : 0);
        }

        private static double log2(double v) {
            return Math.log(v) / Math.log(2);
        }
    }

    /**
     * Rosenbrock in 4 dimensions over log-scaled floats: x1..x4 in [1e-3, 1e3] with {@code log: true},
     * f = Σ 100·(u(i+1) − u(i)²)² + (1 − u(i))² with u = log10 x, the curved valley of Rosenbrock on
     * [−3, 3]⁴ in log space. Minimum 0 at x = 10 everywhere.
     */
    final class LogRosenbrock implements SearchProblem {
        @Override
        public String name() {
            return "rosenbrock_log4";
        }

        @Override
        public String kinds() {
            return "4 log floats";
        }

        @Override
        public SearchSpace space() {
            List<Parameter> parameters = new ArrayList<>();
            for (int i = 1; i <= 4; i++) parameters.add(new FloatParameter("x" + i, 1e-3, 1e3, true, null));
            return new SearchSpace(parameters);
        }

        @Override
        public double minimum() {
            return 0;
        }

        @Override
        public double value(Params p) {
            double[] u = new double[4];
            for (int i = 0; i < 4; i++) u[i] = Math.log10(p.get("x" + (i + 1)).asDouble());
            double sum = 0;
            for (int i = 0; i < 3; i++) {
                double a = u[i + 1] - u[i] * u[i];
                sum += 100 * a * a + (1 - u[i]) * (1 - u[i]);
            }
            return sum;
        }
    }

    /**
     * Hartmann-6 observed with Gaussian noise of standard deviation {@value #SIGMA} (about 3% of
     * its depth), drawn from the stream (seed, trial number). The search sees the noisy value; the
     * benchmark scores a run by the true value of the trial it would pick (the best observed).
     */
    final class NoisyHartmann6 implements SearchProblem {
        static final double SIGMA = 0.1;
        /** Keeps the noise stream apart from the strategies' streams of the same seed. */
        private static final long NOISE_STREAM = 0x6e6f697365L;
        private final OnDomain hartmann = new OnDomain(BenchmarkFunction.HARTMANN6);

        @Override
        public String name() {
            return "hartmann6_noisy";
        }

        @Override
        public String kinds() {
            return "6 floats, noise sd " + SIGMA;
        }

        @Override
        public SearchSpace space() {
            return hartmann.space();
        }

        @Override
        public double minimum() {
            return hartmann.minimum();
        }

        @Override
        public double value(Params params) {
            return hartmann.value(params);
        }

        @Override
        public double observe(Params params, long seed, int number) {
            return value(params) + SIGMA * new Random(Seeds.mix(seed ^ NOISE_STREAM, number)).nextGaussian();
        }
    }
}
