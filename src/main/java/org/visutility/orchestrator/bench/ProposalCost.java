package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import org.visutility.orchestrator.tuning.trainer.FunctionTrainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * {@code orchestrator bench trials --proposals-only}: the strategy's own cost per proposal, without
 * the engine and the database (whose commits dominate a trial and move with the disk and the
 * load): the experiment of {@code bench trials} (its space, sphere objective, seed) run in this
 * process, each {@code suggest} call timed, the history handed over as the engine does (a list
 * that only grows). Per run: ms per proposal over trials 501-1,000 and over the last 500, and
 * their ratio, which is how a proposal's cost grows with the history.
 */
final class ProposalCost {
    private static final String SPEC = "bench-trials.yaml";

    /** One run: ms per proposal over trials 501-1,000 and over the last 500. */
    record Run(double atThousandMs, double lastMs) {
        double growth() {
            return lastMs / atThousandMs;
        }
    }

    record Result(String strategy, int trials, Repetitions atThousandMs, Repetitions lastMs, Repetitions growth) {
        boolean goalMet() {
            return growth.median() <= TrialsBenchmark.GOAL_GROWTH;
        }

        ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode().put("bench", "trials").put("proposals_only", true)
                    .put("strategy", strategy).put("trials", trials);
            n.set("machine", MachineFacts.local().toJson());
            n.set("ms_per_proposal_trials_501_to_1000", atThousandMs.toJson());
            n.set("ms_per_proposal_last_500", lastMs.toJson());
            n.set("last_500_over_trials_501_to_1000", growth.toJson());
            n.putObject("growth_goal").put("at_most", TrialsBenchmark.GOAL_GROWTH).put("met", goalMet());
            return n;
        }

        String text() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "bench trials --proposals-only: %d proposals of %s per run (bench trials' space and sphere objective, in-process,"
                            + " no engine, no database); a warm-up run, then %d repetitions%n", trials, strategy, growth.values().length));
            s.append("  ").append(MachineFacts.local().text());
            s.append(String.format(Locale.ROOT, "  ms per proposal, trials 501-1000:  %s%n", atThousandMs.text()));
            s.append(String.format(Locale.ROOT, "  ms per proposal, last 500 trials:  %s%n", lastMs.text()));
            s.append(String.format(Locale.ROOT, "  last 500 / trials 501-1000:        %s (goal <= %.1f: %s)%n", growth.text(),
                    TrialsBenchmark.GOAL_GROWTH, goalMet() ? "met" : "missed"));
            return s.toString();
        }
    }

    private ProposalCost() {
    }

    static Result run(String strategy, int trials, int repetitions) {
        if (trials < TrialsBenchmark.GROWTH_MIN_TRIALS) {
            throw new IllegalArgumentException("proposals-only needs at least " + TrialsBenchmark.GROWTH_MIN_TRIALS + " trials");
        }
        Run warmUp = once(strategy, trials);
        double[] at = new double[repetitions];
        double[] last = new double[repetitions];
        double[] growth = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            Run run = once(strategy, trials);
            at[r] = run.atThousandMs();
            last[r] = run.lastMs();
            growth[r] = run.growth();
        }
        return new Result(strategy, trials, new Repetitions("ms", warmUp.atThousandMs(), at),
                new Repetitions("ms", warmUp.lastMs(), last), new Repetitions("x", warmUp.growth(), growth));
    }

    /** One run of {@code trials} proposals, as the engine would make them with {@code budget.parallel: 1}. */
    static Run once(String strategy, int trials) {
        ObjectNode tree = (ObjectNode) TrialsBenchmark.readSpec();
        ((ObjectNode) tree.get("budget")).put("trials", trials);
        ((ObjectNode) tree.get("strategy")).put("name", strategy);
        ExperimentSpec spec = ExperimentSpec.parse(tree, SPEC);
        SearchStrategy search = Strategies.all().find(strategy).orElseThrow()
                .create(spec.strategy().options(), spec.space(), spec.strategy().seed(), spec.objective());
        FunctionTrainer trainer = new FunctionTrainer(spec.space());
        List<FinishedTrial> history = new ArrayList<>(trials);
        List<FinishedTrial> view = Collections.unmodifiableList(history);
        long[] took = new long[trials];
        for (int n = 0; n < trials; n++) {
            long start = System.nanoTime();
            Params p = search.suggest(n, view, List.of()).orElseThrow();
            took[n] = System.nanoTime() - start;
            history.add(new FinishedTrial(n, p, TrialStatus.COMPLETE, OptionalDouble.of(trainer.evaluate(p)), List.of()));
        }
        int w = TrialsBenchmark.GROWTH_WINDOW;
        return new Run(meanMs(took, TrialsBenchmark.GROWTH_AT - w, TrialsBenchmark.GROWTH_AT), meanMs(took, trials - w, trials));
    }

    private static double meanMs(long[] nanos, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) sum += nanos[i];
        return sum / 1e6 / (to - from);
    }
}
