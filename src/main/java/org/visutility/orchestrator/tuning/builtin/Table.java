package org.visutility.orchestrator.tuning.builtin;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.visutility.orchestrator.tuning.strategy.Seeds;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Rows of numeric features with a class label each, as the built-in trainer learns from them: a
 * shipped dataset, a user's CSV, or rows a program has (a drifted window of production data).
 * Immutable; the feature order is the table's column order.
 */
public final class Table {
    static final LabelFactory LABELS = new LabelFactory();

    private final String source;
    private final List<String> features;
    private final List<double[]> rows;
    private final List<String> labels;

    /**
     * @param source   what the rows are, for provenance and messages (a file, "breast_cancer", ...)
     * @param features the feature names, in the order of each row's values
     * @param rows     one array of feature values per row
     * @param labels   each row's class
     */
    public Table(String source, List<String> features, List<double[]> rows, List<String> labels) {
        if (rows.size() != labels.size()) throw new IllegalArgumentException("a label per row: " + rows.size() + " rows, " + labels.size() + " labels");
        if (new LinkedHashSet<>(features).size() != features.size()) throw new IllegalArgumentException("feature names repeat: " + features);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != features.size()) {
                throw new IllegalArgumentException("row " + i + " has " + rows.get(i).length + " values for " + features.size() + " features");
            }
        }
        this.source = source;
        this.features = List.copyOf(features);
        this.rows = rows.stream().map(double[]::clone).toList();
        this.labels = List.copyOf(labels);
    }

    public String source() {
        return source;
    }

    public List<String> features() {
        return features;
    }

    public int size() {
        return rows.size();
    }

    public double[] row(int i) {
        return rows.get(i).clone();
    }

    /** Feature {@code f} of row {@code i}. */
    public double value(int i, int f) {
        return rows.get(i)[f];
    }

    public String label(int i) {
        return labels.get(i);
    }

    /** The classes present, in order of first appearance. */
    public Set<String> classes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(labels));
    }

    /** The rows at {@code indices}, in that order. */
    public Table subset(List<Integer> indices, String what) {
        List<double[]> r = new ArrayList<>(indices.size());
        List<String> l = new ArrayList<>(indices.size());
        for (int i : indices) {
            r.add(rows.get(i));
            l.add(labels.get(i));
        }
        return new Table(source + " (" + what + ")", features, r, l);
    }

    /** A training part and a held-out part. */
    public record Split(Table train, Table test) {
    }

    /**
     * A stratified split, fixed by {@code seed}: in each class, that class's rows shuffled by the
     * seed and ⌊fraction · count + ½⌋ of them held out, so both parts keep the class balance.
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("the test fraction must be in (0, 1): " + testFraction);
        Map<String, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) byClass.computeIfAbsent(labels.get(i), c -> new ArrayList<>()).add(i);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        int c = 0;
        for (List<Integer> members : byClass.values()) {
            List<Integer> shuffled = new ArrayList<>(members);
            Collections.shuffle(shuffled, new Random(Seeds.mix(seed, c++)));
            int held = (int) Math.floor(testFraction * shuffled.size() + 0.5);
            test.addAll(shuffled.subList(0, held));
            train.addAll(shuffled.subList(held, shuffled.size()));
        }
        Collections.sort(train);
        Collections.sort(test);
        return new Split(subset(train, "train"), subset(test, "test"));
    }

    /**
     * A Tribuo dataset's examples as a table: its features (in the order of the dataset's feature
     * map) as columns, a feature an example lacks read as 0 (Tribuo's sparse convention).
     */
    public static Table of(String source, Dataset<Label> dataset) {
        List<String> features = new ArrayList<>();
        for (VariableInfo f : dataset.getFeatureIDMap()) features.add(f.getName());
        Map<String, Integer> column = new LinkedHashMap<>();
        for (int i = 0; i < features.size(); i++) column.put(features.get(i), i);
        List<double[]> rows = new ArrayList<>(dataset.size());
        List<String> labels = new ArrayList<>(dataset.size());
        for (Example<Label> e : dataset) {
            double[] row = new double[features.size()];
            for (Feature f : e) {
                Integer c = column.get(f.getName());
                if (c != null) row[c] = f.getValue();
            }
            rows.add(row);
            labels.add(e.getOutput().getLabel());
        }
        return new Table(source, features, rows, labels);
    }

    /** The rows as a Tribuo dataset (dense examples: every feature present in every example). */
    public MutableDataset<Label> toDataset() {
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(source, LABELS), LABELS);
        for (Example<Label> e : examples()) dataset.add(e);
        return dataset;
    }

    List<Example<Label>> examples() {
        String[] names = features.toArray(String[]::new);
        List<Example<Label>> examples = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) examples.add(new ArrayExample<>(new Label(labels.get(i)), names, rows.get(i)));
        return examples;
    }
}
