package org.visutility.orchestrator.tuning.builtin;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * How well a classifier does on labelled rows, as the built-in trainer reports it: accuracy;
 * precision, recall and F1 of the positive class when one is named, otherwise macro-averaged
 * over the classes (a class never predicted counts 0 precision, as scikit-learn's
 * zero_division=0); and the log loss (mean −ln p of the true class, p clipped to [1e-15, 1])
 * when the model gives probabilities. Computed by Tribuo's LabelEvaluator, log loss from the
 * same predictions.
 */
public record ClassificationScores(double accuracy, double precision, double recall, double f1, OptionalDouble logLoss,
                                   int rows) {
    public static final String ACCURACY = "accuracy";
    public static final String PRECISION = "precision";
    public static final String RECALL = "recall";
    public static final String F1 = "f1";
    public static final String LOG_LOSS = "log_loss";
    /** The metric names the built-in trainer reports. */
    public static final List<String> METRICS = List.of(ACCURACY, PRECISION, RECALL, F1, LOG_LOSS);
    private static final double PROBABILITY_FLOOR = 1e-15;

    /** The scores as report metrics (name → value). */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(ACCURACY, accuracy);
        m.put(PRECISION, precision);
        m.put(RECALL, recall);
        m.put(F1, f1);
        logLoss.ifPresent(l -> m.put(LOG_LOSS, l));
        return m;
    }

    /**
     * @param examples the rows as the model takes them (standardised, for a model inside a transformation)
     * @param rows     the same rows, for their labels
     */
    static ClassificationScores of(Model<Label> model, Iterable<Example<Label>> examples, Table rows, Optional<String> positive) {
        List<Prediction<Label>> predictions = model.predict(examples);
        LabelEvaluation e = new LabelEvaluator().evaluate(model, predictions, new SimpleDataSourceProvenance(rows.source(), Table.LABELS));
        double precision;
        double recall;
        double f1;
        if (positive.isPresent()) {
            Label p = new Label(positive.get());
            precision = finite(e.precision(p));
            recall = finite(e.recall(p));
            f1 = finite(e.f1(p));
        } else {
            // averaged over the classes of the model and of the rows; Tribuo's own macro average turns NaN when one is
            Set<Label> classes = new LinkedHashSet<>(e.getConfusionMatrix().getDomain().getDomain());
            rows.classes().forEach(c -> classes.add(new Label(c)));
            precision = classes.stream().mapToDouble(c -> finite(e.precision(c))).average().orElse(0);
            recall = classes.stream().mapToDouble(c -> finite(e.recall(c))).average().orElse(0);
            f1 = classes.stream().mapToDouble(c -> finite(e.f1(c))).average().orElse(0);
        }
        return new ClassificationScores(e.accuracy(), precision, recall, f1,
                model.generatesProbabilities() ? OptionalDouble.of(logLoss(predictions, rows)) : OptionalDouble.empty(), rows.size());
    }

    private static double logLoss(List<Prediction<Label>> predictions, Table rows) {
        double sum = 0;
        for (int i = 0; i < predictions.size(); i++) {
            Label truth = predictions.get(i).getOutputScores().get(rows.label(i));
            double p = truth == null ? 0 : truth.getScore();
            sum -= Math.log(Math.min(1, Math.max(PROBABILITY_FLOOR, p)));
        }
        return sum / predictions.size();
    }

    /** 0/0 (a class never predicted, or absent) counts as 0. */
    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
