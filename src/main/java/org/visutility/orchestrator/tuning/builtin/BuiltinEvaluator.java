package org.visutility.orchestrator.tuning.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.Model;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.visutility.orchestrator.core.UserFiles;
import org.visutility.orchestrator.tuning.gate.Evaluation;
import org.visutility.orchestrator.tuning.gate.EvaluationRequest;
import org.visutility.orchestrator.tuning.gate.Evaluator;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The built-in trainer evaluates its own versions: it reads the saved Tribuo model a version's
 * artifact_uri points at ({@code model.tribuo}, a {@code file:} URI or an absolute path) and scores
 * it on the gate's labelled rows with the same metrics the trials report ({@link ClassificationScores}).
 */
public final class BuiltinEvaluator implements Evaluator {
    public static final String KIND = "builtin";
    /** A saved model larger than this is refused unread. */
    public static final long MAX_MODEL_BYTES = 512L << 20;
    private static final int SHOWN_FEATURES = 5;

    private final Table rows;
    private final Optional<String> positive;

    /**
     * @param rows     the gate's fresh labelled rows (gate.data)
     * @param positive the trainer's positive_label, if it names one: the same precision, recall and F1 as the trials
     */
    public BuiltinEvaluator(Table rows, Optional<String> positive) {
        this.rows = rows;
        this.positive = positive;
    }

    /**
     * The evaluator of a built-in trainer's versions: {@code data} (a CSV at an absolute path, or a
     * shipped dataset's name) read as the trainer reads its own, with its label column and
     * positive_label.
     */
    public static BuiltinEvaluator forTrainer(ObjectNode trainerOptions, String data) {
        return new BuiltinEvaluator(Datasets.load(data, label(trainerOptions)), positive(trainerOptions));
    }

    /** Why {@code data} cannot be the gate's rows for this built-in trainer, if it cannot. */
    public static Optional<String> problem(ObjectNode trainerOptions, String data) {
        Optional<String> unreadable = Datasets.problem(data, label(trainerOptions));
        if (unreadable.isPresent()) return unreadable;
        if (Datasets.load(data, label(trainerOptions)).size() == 0) return Optional.of(data + ": has no rows");
        return Optional.empty();
    }

    private static String label(ObjectNode trainer) {
        JsonNode l = trainer.get("label");
        return l != null && l.isTextual() && !l.asText().isBlank() ? l.asText().trim() : Datasets.SHIPPED_LABEL;
    }

    private static Optional<String> positive(ObjectNode trainer) {
        JsonNode p = trainer.get("positive_label");
        return p != null && p.isTextual() && !p.asText().isBlank() ? Optional.of(p.asText().trim()) : Optional.empty();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Evaluation evaluate(EvaluationRequest request) throws IOException {
        Optional<Path> file = localFile(request.artifactUri().orElseThrow());
        if (file.isEmpty()) return Evaluation.failed(request.label() + ": the built-in evaluator reads a file: artifact or an absolute path only");
        Optional<String> refused = UserFiles.problem(file.get(), MAX_MODEL_BYTES);
        if (refused.isPresent()) return Evaluation.failed(request.label() + ": its artifact " + refused.get());
        Model<?> read = Model.deserializeFromFile(file.get());
        if (!read.validate(Label.class)) return Evaluation.failed(request.label() + ": its artifact is not a classification model");
        @SuppressWarnings("unchecked")
        Model<Label> model = (Model<Label>) read;
        Optional<String> mismatch = featureMismatch(model);
        if (mismatch.isPresent()) return Evaluation.failed(request.label() + ": " + mismatch.get());
        return Evaluation.scored(ClassificationScores.of(model, rows.examples(), rows, positive).metrics());
    }

    private Optional<String> featureMismatch(Model<Label> model) {
        Set<String> trained = new HashSet<>();
        for (VariableInfo f : model.getFeatureIDMap()) trained.add(f.getName());
        List<String> missing = new ArrayList<>();
        for (String f : trained) if (!rows.features().contains(f)) missing.add(f);
        if (missing.isEmpty()) return Optional.empty();
        missing.sort(null);
        return Optional.of("the evaluation rows (" + rows.source() + ") lack " + missing.size() + " of the model's " + trained.size()
                + " features (" + String.join(", ", missing.subList(0, Math.min(SHOWN_FEATURES, missing.size())))
                + (missing.size() > SHOWN_FEATURES ? ", ..." : "") + ")");
    }

    private static Optional<Path> localFile(String uri) {
        try {
            if (uri.startsWith("file:")) return Optional.of(Path.of(URI.create(uri)));
            Path p = Path.of(uri);
            return p.isAbsolute() ? Optional.of(p) : Optional.empty();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }
}
