package org.visutility.orchestrator.tuning.builtin;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;

/**
 * Wraps the gradient optimiser of Tribuo's linear SGD trainer (its {@code StochasticGradientOptimiser}
 * extension point) to see training as it goes: it counts gradient steps, and when an epoch's steps
 * are done — at the first step of the next epoch, before it changes anything, and at
 * {@code finalise} after the last — hands the live parameters to the listener, which scores them
 * and may stop training by throwing. It also adds the L2 penalty's gradient (−l2·w per example,
 * the bias column left alone) to each step's gradient before the wrapped optimiser sees it.
 * Tribuo's trainer has no per-epoch hook and no warm start; this is the one place that sees
 * every epoch of a single training run.
 */
final class EpochWatch implements StochasticGradientOptimiser {
    /** Told when an epoch is done; may throw to stop training. */
    interface Listener {
        void epochEnded(int epoch, LinearParameters parameters);
    }

    private final StochasticGradientOptimiser inner;
    private final int rows;
    private final int batchSize;
    private final double l2;
    private final Listener listener;
    private final long stepsPerEpoch;
    private LinearParameters parameters;
    private long steps;
    private int epoch;

    EpochWatch(StochasticGradientOptimiser inner, int rows, int batchSize, double l2, Listener listener) {
        this.inner = inner;
        this.rows = rows;
        this.batchSize = batchSize;
        this.l2 = l2;
        this.listener = listener;
        this.stepsPerEpoch = (rows + batchSize - 1) / batchSize;
    }

    @Override
    public void initialise(Parameters p) {
        parameters = (LinearParameters) p;
        steps = 0;
        epoch = 0;
        inner.initialise(p);
    }

    @Override
    public Tensor[] step(Tensor[] gradients, double weight) {
        if (steps > 0 && steps % stepsPerEpoch == 0) listener.epochEnded(++epoch, parameters);
        long inEpoch = steps % stepsPerEpoch;
        steps++;
        if (l2 > 0) penalise(gradients[0], Math.min(batchSize, rows - inEpoch * batchSize));
        return inner.step(gradients, weight);
    }

    /** Tribuo's gradients point up the log-likelihood: the penalty's part is −l2·w for each row in the step. */
    private void penalise(Tensor gradient, long rowsInStep) {
        if (!(gradient instanceof DenseMatrix g)) {
            throw new IllegalStateException("expected a dense gradient for dense examples, got " + gradient.getClass().getSimpleName());
        }
        DenseMatrix w = parameters.getWeightMatrix();
        double factor = -l2 * rowsInStep;
        int biasColumn = w.getDimension2Size() - 1;
        for (int r = 0; r < w.getDimension1Size(); r++) {
            for (int c = 0; c < biasColumn; c++) g.set(r, c, g.get(r, c) + factor * w.get(r, c));
        }
    }

    @Override
    public void finalise() {
        inner.finalise();
        listener.epochEnded(++epoch, parameters);
    }

    @Override
    public void reset() {
        inner.reset();
    }

    @Override
    public StochasticGradientOptimiser copy() {
        return new EpochWatch(inner.copy(), rows, batchSize, l2, listener);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return inner.getProvenance();
    }
}
