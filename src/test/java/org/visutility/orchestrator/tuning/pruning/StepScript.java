package org.visutility.orchestrator.tuning.pruning;

import com.fasterxml.jackson.databind.node.DoubleNode;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.TrialStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Scripted step reports played through a pruner as the engine does with one trial at a time: each
 * trial reports its value at steps 1..last, stops at the first prune answer, and joins the finished
 * trials (complete or pruned) that the next trials are judged against.
 */
final class StepScript {
    static final Params P = Params.of(Map.of("x", DoubleNode.valueOf(0.5)));

    final List<FinishedTrial> finished = new ArrayList<>();
    /** "number:complete" or "number:pruned@step", in the order the trials ran. */
    final List<String> outcomes = new ArrayList<>();

    static IntermediateReport report(long step, double value) {
        return new IntermediateReport(step, Map.of("loss", value));
    }

    /** Reports {@code value} at every step 1..last (a flat curve). */
    StepScript run(Pruner pruner, int number, long last, double value) {
        List<IntermediateReport> reports = new ArrayList<>();
        for (long step = 1; step <= last; step++) {
            reports.add(report(step, value));
            if (pruner.shouldPrune(number, List.copyOf(reports), List.copyOf(finished))) {
                finished.add(new FinishedTrial(number, P, TrialStatus.PRUNED, OptionalDouble.empty(), reports));
                outcomes.add(number + ":pruned@" + step);
                return this;
            }
        }
        finished.add(new FinishedTrial(number, P, TrialStatus.COMPLETE, OptionalDouble.of(value), reports));
        outcomes.add(number + ":complete");
        return this;
    }

    static FinishedTrial trial(int number, TrialStatus status, double... valuesFromStep1) {
        List<IntermediateReport> reports = new ArrayList<>();
        for (int i = 0; i < valuesFromStep1.length; i++) reports.add(report(i + 1, valuesFromStep1[i]));
        OptionalDouble score = status == TrialStatus.COMPLETE ? OptionalDouble.of(valuesFromStep1[valuesFromStep1.length - 1]) : OptionalDouble.empty();
        return new FinishedTrial(number, P, status, score, reports);
    }

    /** The reports 1..upTo of a flat curve. */
    static List<IntermediateReport> flat(long upTo, double value) {
        List<IntermediateReport> reports = new ArrayList<>();
        for (long s = 1; s <= upTo; s++) reports.add(report(s, value));
        return reports;
    }
}
