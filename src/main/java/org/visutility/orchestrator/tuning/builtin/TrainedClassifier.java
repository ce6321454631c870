package org.visutility.orchestrator.tuning.builtin;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model the built-in trainer trained, ready to predict and to be scored on other rows (a
 * drifted window of production data, say) with the same metrics the trials report.
 */
public final class TrainedClassifier {
    private final Algorithm algorithm;
    private final Map<String, Object> hyperparameters;
    private final List<String> features;
    private final Model<Label> model;
    private final Optional<String> positive;

    TrainedClassifier(Algorithm algorithm, Map<String, Object> hyperparameters, List<String> features, Model<Label> model,
                      Optional<String> positive) {
        this.algorithm = algorithm;
        this.hyperparameters = Map.copyOf(hyperparameters);
        this.features = List.copyOf(features);
        this.model = model;
        this.positive = positive;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** Every hyperparameter's value, defaults included. */
    public Map<String, Object> hyperparameters() {
        return hyperparameters;
    }

    /** The features it was trained on, in order. */
    public List<String> features() {
        return features;
    }

    /** The Tribuo model itself. */
    public Model<Label> model() {
        return model;
    }

    /** Accuracy, precision, recall, F1 and log loss on labelled rows with the same features. */
    public ClassificationScores score(Table rows) {
        checkFeatures(rows.features());
        return ClassificationScores.of(model, rows.examples(), rows, positive);
    }

    /** The predicted class of each row. */
    public List<String> predict(Table rows) {
        checkFeatures(rows.features());
        List<String> classes = new ArrayList<>(rows.size());
        for (Prediction<Label> p : model.predict(rows.examples())) classes.add(p.getOutput().getLabel());
        return classes;
    }

    /** Each class's probability (or score, for a model without probabilities) for one row of feature values in {@link #features()} order. */
    public Map<String, Double> probabilities(double[] row) {
        if (row.length != features.size()) throw new IllegalArgumentException("a row needs " + features.size() + " values, has " + row.length);
        Example<Label> example = new ArrayExample<>(Table.LABELS.getUnknownOutput(), features.toArray(String[]::new), row);
        Map<String, Double> scores = new LinkedHashMap<>();
        model.predict(example).getOutputScores().forEach((name, label) -> scores.put(name, label.getScore()));
        return scores;
    }

    /** Writes the model in Tribuo's protobuf format ({@code Model.deserializeFromFile} reads it back). */
    public void save(Path file) throws IOException {
        model.serializeToFile(file);
    }

    private void checkFeatures(List<String> given) {
        if (!new HashSet<>(given).equals(new HashSet<>(features))) {
            throw new IllegalArgumentException("the rows have features " + given + "; the model was trained on " + features);
        }
    }
}
