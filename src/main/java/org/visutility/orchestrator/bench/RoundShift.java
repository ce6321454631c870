package org.visutility.orchestrator.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The data of retrain round {@code r} (1, 2, 3, ...) of {@code bench warmstart}, made from the
 * shipped digits (1797 rows, 64 pixels of 0-16, label 0-9) and fixed by (seed, round): a subsample
 * of {@code rows} rows drawn without replacement, then Gaussian noise of standard deviation
 * {@link #NOISE_PER_ROUND}·(r−1) added to every pixel and clipped to 0-16. So each round sees
 * other rows, and the pixels drift noisier round after round, as data that moved a little.
 */
final class RoundShift {
    /** Pixel noise (standard deviation, in pixel units of 0-16) added per round after the first. */
    static final double NOISE_PER_ROUND = 1.5;
    /** The rows of the shipped digits. */
    static final int DIGITS_ROWS = 1797;
    private static final double PIXEL_MAX = 16;
    private static final String DIGITS = "/org/visutility/orchestrator/datasets/digits.csv";

    private final String header;
    private final List<double[]> pixels;
    private final List<String> labels;

    private RoundShift(String header, List<double[]> pixels, List<String> labels) {
        this.header = header;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** The shipped digits, read once. */
    static RoundShift digits() {
        try (InputStream in = RoundShift.class.getResourceAsStream(DIGITS)) {
            if (in == null) throw new IllegalStateException("the jar has no dataset digits");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = r.readLine();
            List<double[]> pixels = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) continue;
                String[] cells = line.split(",");
                double[] p = new double[cells.length - 1];
                for (int i = 0; i < p.length; i++) p[i] = Double.parseDouble(cells[i]);
                pixels.add(p);
                labels.add(cells[cells.length - 1]);
            }
            return new RoundShift(header, pixels, labels);
        } catch (IOException e) {
            throw new UncheckedIOException("digits: cannot be read", e);
        }
    }

    int size() {
        return pixels.size();
    }

    /** Round {@code round}'s rows as CSV lines (header first); the same for the same (seed, round). */
    List<String> round(long seed, int round, int rows) {
        if (round < 1) throw new IllegalArgumentException("round must be at least 1");
        if (rows < 1 || rows > pixels.size()) throw new IllegalArgumentException("rows must be from 1 to " + pixels.size());
        Random random = new Random(seed * 1_000_003L + round);
        List<Integer> order = new ArrayList<>(pixels.size());
        for (int i = 0; i < pixels.size(); i++) order.add(i);
        Collections.shuffle(order, random);
        double noise = NOISE_PER_ROUND * (round - 1);
        List<String> lines = new ArrayList<>(rows + 1);
        lines.add(header);
        for (int i : order.subList(0, rows)) {
            StringBuilder b = new StringBuilder();
            for (double p : pixels.get(i)) {
                double v = Math.min(PIXEL_MAX, Math.max(0, p + noise * random.nextGaussian()));
                b.append(String.format(Locale.ROOT, "%.2f", v)).append(',');
            }
            lines.add(b.append(labels.get(i)).toString());
        }
        return lines;
    }

    /** Writes round {@code round}'s rows to {@code file}. */
    Path write(long seed, int round, int rows, Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line : round(seed, round, rows)) w.write(line + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
