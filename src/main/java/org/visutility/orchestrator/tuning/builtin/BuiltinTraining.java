package org.visutility.orchestrator.tuning.builtin;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.EnsembleModel;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.math.optimisers.Adam;
import org.tribuo.math.optimisers.RMSProp;
import org.tribuo.math.optimisers.SGD;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.TransformerMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;
import org.visutility.orchestrator.tuning.strategy.Seeds;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Trains the built-in algorithms with Tribuo, reporting the held-out scores as training goes:
 * after every epoch (logistic regression) or every batch of trees (random forest). Usable from
 * code: {@code BuiltinTraining.train(Algorithm.RANDOM_FOREST, Map.of("trees", 100), table, 7)}.
 *
 * <p>Logistic regression: one Tribuo training run of {@code epochs} epochs on standardised
 * features (Tribuo's mean/std transformation, fitted on the training rows); the scores after each
 * epoch come from that same run, taken between epochs through the optimiser (see
 * {@link EpochWatch}), so the learning curve is the real one, not k separate runs.
 * Random forest: the forest grows by {@code treeBatch} trees at a time — each batch a Tribuo
 * RandomForestTrainer run with its own seed — and after each batch all trees so far are scored
 * as one forest (Tribuo's WeightedEnsembleModel over the members).
 */
public final class BuiltinTraining {
    /** The forest is scored after every this many trees unless told otherwise. */
    public static final int DEFAULT_TREE_BATCH = 10;
    /** Tribuo logs every training run at INFO through java.util.logging; kept to warnings. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    /** Told the held-out scores after each epoch or batch of trees; answering false stops training. */
    public interface Progress {
        boolean onStep(long step, ClassificationScores scores);

        Progress NONE = (step, scores) -> true;
    }

    /** Thrown by {@link #train} when {@link Progress} answered false. */
    public static final class Stopped extends RuntimeException {
        private final long step;

        Stopped(long step) {
            super("training stopped after step " + step, null, false, false);
            this.step = step;
        }

        public long step() {
            return step;
        }
    }

    private BuiltinTraining() {
    }

    /** Trains on all of {@code rows}, with no scores on the way. */
    public static TrainedClassifier train(Algorithm algorithm, Map<String, ?> hyperparameters, Table rows, long seed) {
        return train(algorithm, hyperparameters, rows, null, seed, Optional.empty(), DEFAULT_TREE_BATCH, Progress.NONE);
    }

    /**
     * Trains on {@code train}, scoring each step on {@code heldOut} (null: no intermediate scores).
     *
     * @param hyperparameters values by name (numbers, strings or JSON scalars); the rest take their defaults
     * @param positive        the class precision, recall and F1 are about; empty: macro averages
     * @throws Stopped                  when {@code progress} answered false
     * @throws IllegalArgumentException for an unknown or out-of-range hyperparameter
     */
    public static TrainedClassifier train(Algorithm algorithm, Map<String, ?> hyperparameters, Table train, Table heldOut,
                                          long seed, Optional<String> positive, int treeBatch, Progress progress) {
        Map<String, Object> h = algorithm.resolve(hyperparameters);
        if (train.classes().size() < 2) throw new IllegalArgumentException(train.source() + ": needs rows of at least two classes");
        Model<Label> model = switch (algorithm) {
            case LOGISTIC_REGRESSION -> logisticRegression(h, train, heldOut, seed, positive, progress);
            case RANDOM_FOREST -> randomForest(h, train, heldOut, seed, positive, treeBatch, progress);
        };
        return new TrainedClassifier(algorithm, h, train.features(), model, positive);
    }

    private static Model<Label> logisticRegression(Map<String, Object> h, Table train, Table heldOut, long seed,
                                                   Optional<String> positive, Progress progress) {
        MutableDataset<Label> data = train.toDataset();
        TransformationMap standardise = standardisation(train);
        // the same statistics TransformTrainer fits, to put the held-out rows where the inner model looks
        TransformerMap transformers = data.createTransformers(standardise);
        MutableDataset<Label> heldOutData = heldOut == null ? null : transformers.transformDataset(heldOut.toDataset());
        int batch = whole(h, "batch_size");
        int epochs = whole(h, "epochs");
        WatchedLinearTrainer[] trainer = new WatchedLinearTrainer[1];
        EpochWatch watch = new EpochWatch(optimiser((String) h.get("optimizer"), real(h, "learning_rate")), train.size(), batch,
                real(h, "l2"), (epoch, parameters) -> {
            if (heldOutData == null) return;
            Model<Label> snapshot = trainer[0].snapshot(parameters);
            if (!progress.onStep(epoch, ClassificationScores.of(snapshot, heldOutData, heldOut, positive))) throw new Stopped(epoch);
        });
        trainer[0] = new WatchedLinearTrainer(watch, epochs, batch, seed);
        return new TransformTrainer<>(trainer[0], standardise).train(data);
    }

    private static Model<Label> randomForest(Map<String, Object> h, Table train, Table heldOut, long seed, Optional<String> positive,
                                             int treeBatch, Progress progress) {
        MutableDataset<Label> data = train.toDataset();
        int trees = whole(h, "trees");
        int depth = whole(h, "max_depth");
        float fraction = (float) real(h, "feature_fraction");
        float minChildWeight = (float) real(h, "min_child_weight");
        FullyWeightedVotingCombiner combiner = new FullyWeightedVotingCombiner();
        List<Model<Label>> members = new ArrayList<>();
        WeightedEnsembleModel<Label> forest = null;
        for (int batch = 0; members.size() < trees; batch++) {
            int count = Math.min(treeBatch, trees - members.size());
            long batchSeed = Seeds.mix(seed, batch);
            CARTClassificationTrainer cart = new CARTClassificationTrainer(depth, minChildWeight, 0.0f, fraction, false,
                    new GiniIndex(), batchSeed);
            EnsembleModel<Label> part = new RandomForestTrainer<>(cart, combiner, count, batchSeed).train(data);
            members.addAll(part.getModels());
            forest = WeightedEnsembleModel.createEnsembleFromExistingModels("random-forest", members, combiner);
            if (heldOut != null && !progress.onStep(members.size(), ClassificationScores.of(forest, heldOut.examples(), heldOut, positive))) {
                throw new Stopped(members.size());
            }
        }
        return forest;
    }

    /** A resolved whole-number hyperparameter (within int range: {@link Algorithm} bounds them). */
    private static int whole(Map<String, Object> h, String name) {
        return ((Number) h.get(name)).intValue();
    }

    private static double real(Map<String, Object> h, String name) {
        return ((Number) h.get(name)).doubleValue();
    }

    /** Mean/std standardisation of every feature that varies in the training rows (a constant one has no std to divide by: it stays as it is). */
    private static TransformationMap standardisation(Table train) {
        Map<String, List<Transformation>> byFeature = new LinkedHashMap<>();
        for (int f = 0; f < train.features().size(); f++) {
            double first = train.value(0, f);
            for (int i = 1; i < train.size(); i++) {
                if (train.value(i, f) != first) {
                    byFeature.put(train.features().get(f), List.of(new MeanStdDevTransformation()));
                    break;
                }
            }
        }
        return new TransformationMap(byFeature);
    }

    private static StochasticGradientOptimiser optimiser(String name, double learningRate) {
        return switch (name) {
            case "sgd" -> SGD.getSimpleSGD(learningRate);
            case "adagrad" -> new AdaGrad(learningRate, 0.1);
            case "adam" -> new Adam(learningRate, 0.9, 0.999, 1e-8);
            case "rmsprop" -> new RMSProp(learningRate, 0.9);
            default -> throw new IllegalArgumentException("unknown optimizer " + name);
        };
    }

    /**
     * Tribuo's linear SGD trainer with the log-loss (logistic regression) objective, which also
     * builds a model of the parameters as they are between epochs — through Tribuo's own
     * {@code createModel}, so snapshot predictions are exactly what the final model would predict.
     */
    private static final class WatchedLinearTrainer extends LinearSGDTrainer {
        private ImmutableFeatureMap features;
        private ImmutableOutputInfo<Label> outputs;
        private ModelProvenance provenance;

        WatchedLinearTrainer(StochasticGradientOptimiser optimiser, int epochs, int batchSize, long seed) {
            super(new LogMulticlass(), optimiser, epochs, -1, batchSize, seed);
        }

        @Override
        public LinearSGDModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
            // the (standardised) dataset the parameters are learnt on: snapshots need its feature and class ids
            features = examples.getFeatureIDMap();
            outputs = examples.getOutputIDInfo();
            provenance = new ModelProvenance(LinearSGDModel.class.getName(), OffsetDateTime.now(), examples.getProvenance(), getProvenance());
            return super.train(examples, runProvenance, invocationCount);
        }

        Model<Label> snapshot(LinearParameters parameters) {
            return createModel("logistic-regression", provenance, features, outputs, parameters.copy());
        }
    }
}
