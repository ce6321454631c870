package org.visutility.orchestrator.tuning.builtin;

import org.visutility.orchestrator.tuning.Parameter;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The built-in trainer's algorithms (both Tribuo's) and the hyperparameters each takes, with their defaults. */
public enum Algorithm {
    /**
     * Multinomial logistic regression trained by stochastic gradient descent (Tribuo's
     * LinearSGDTrainer with the log-loss objective) on standardised features. The defaults are
     * Tribuo's LogisticRegressionTrainer's: AdaGrad at learning rate 1, 5 epochs, one example per step.
     */
    LOGISTIC_REGRESSION(List.of(
            Hyperparameter.real("learning_rate", 1.0, 0, true, 100, false, "the optimiser's (initial) learning rate"),
            Hyperparameter.real("l2", 0.0, 0, false, 100, false, "L2 penalty: l2/2·‖w‖² per example, bias excluded"),
            Hyperparameter.whole("epochs", 5, 1, 1000, "passes over the training rows"),
            Hyperparameter.whole("batch_size", 1, 1, 100_000, "rows per gradient step"),
            Hyperparameter.choice("optimizer", "adagrad", List.of("sgd", "adagrad", "adam", "rmsprop"),
                    "sgd (constant rate), adagrad, adam or rmsprop"))),
    /**
     * A random forest (Tribuo's RandomForestTrainer: bootstrap-bagged CART trees, each split
     * choosing among a random fraction of the features), members' class distributions averaged.
     */
    RANDOM_FOREST(List.of(
            Hyperparameter.whole("trees", 50, 1, 2000, "trees in the forest"),
            Hyperparameter.whole("max_depth", 12, 1, 200, "the deepest a tree grows"),
            Hyperparameter.real("feature_fraction", 0.5, 0, true, 1, true, "the fraction of features each split looks at"),
            Hyperparameter.real("min_child_weight", 5.0, 0, false, 1_000_000, false, "the least weight (rows) a split may leave in a child")));

    private final Map<String, Hyperparameter> hyperparameters = new LinkedHashMap<>();

    Algorithm(List<Hyperparameter> hyperparameters) {
        hyperparameters.forEach(h -> this.hyperparameters.put(h.name(), h));
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Algorithm> find(String spelling) {
        return Arrays.stream(values()).filter(a -> a.spelling().equals(spelling)).findFirst();
    }

    public static String spellings() {
        return String.join(", ", Arrays.stream(values()).map(Algorithm::spelling).toList());
    }

    public List<Hyperparameter> hyperparameters() {
        return List.copyOf(hyperparameters.values());
    }

    /** Records, under {@code space.NAME}, every parameter this algorithm has no use for or cannot take. */
    void checkSpace(SearchSpace space, Violations v) {
        for (Parameter p : space.parameters()) {
            Hyperparameter h = hyperparameters.get(p.name());
            if (h == null) {
                v.add("space." + p.name(), "the builtin " + spelling() + " trainer has no hyperparameter '" + p.name()
                        + "'; it takes " + String.join(", ", hyperparameters.keySet()));
                continue;
            }
            h.misfit(p).ifPresent(why -> v.add("space." + p.name(), why));
        }
    }

    /**
     * Every hyperparameter's value: the given one (a number, a string, or a JSON scalar from a
     * trial's params) or the default. Throws IllegalArgumentException naming an unknown or
     * out-of-range one.
     */
    public Map<String, Object> resolve(Map<String, ?> given) {
        for (String name : given.keySet()) {
            if (!hyperparameters.containsKey(name)) {
                throw new IllegalArgumentException(spelling() + " has no hyperparameter '" + name + "'; it takes "
                        + String.join(", ", hyperparameters.keySet()));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        hyperparameters.forEach((name, h) -> values.put(name, h.resolve(given.get(name))));
        return values;
    }
}
