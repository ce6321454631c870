package org.visutility.orchestrator.policy.eval;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.policy.spec.ThresholdCondition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Threshold conditions: one WindowAggregates statement for all of them. */
final class ThresholdKind implements ConditionKind {
    @Override
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs) {
        ConditionResult[] judged = judged(handle, inputs);
        Map<Integer, ConditionResult> out = new HashMap<>(inputs.size() * 2);
        for (int i = 0; i < judged.length; i++) out.put(inputs.get(i).key(), judged[i]);
        return out;
    }

    @Override
    public void evaluateInto(Handle handle, List<ConditionInput> inputs, ConditionResult[] byKey) {
        ConditionResult[] judged = judged(handle, inputs);
        for (int i = 0; i < judged.length; i++) byKey[inputs.get(i).key()] = judged[i];
    }

    /** Each input's verdict at its position in {@code inputs}. */
    private static ConditionResult[] judged(Handle handle, List<ConditionInput> inputs) {
        List<WindowAggregates.Request> requests = inputs.stream().map(in -> {
            ThresholdCondition c = (ThresholdCondition) in.condition();
            return new WindowAggregates.Request(in.key(), in.modelId(), c.metric(), null, null, c.window(), in.at(),
                    in.knownAt(), c.settledOnly(), c.aggregate());
        }).toList();
        WindowAggregates.Stats[] stats = WindowAggregates.byPosition(handle, requests);
        ConditionResult[] out = new ConditionResult[stats.length];
        ThresholdCondition last = null;
        String lastNote = null;
        for (int i = 0; i < stats.length; i++) {
            ThresholdCondition c = (ThresholdCondition) inputs.get(i).condition();
            if (c != last && !c.equals(last)) { // a fleet's conditions come in runs of equal ones: the note is made once per run
                lastNote = note(c);
                last = c;
            }
            out[i] = judge(c, stats[i], lastNote);
        }
        return out;
    }

    static ConditionResult judge(ThresholdCondition c, WindowAggregates.Stats s) {
        return judge(c, s, note(c));
    }

    private static ConditionResult judge(ThresholdCondition c, WindowAggregates.Stats s, String note) {
        String shortfall = Evidence.shortfall(s, c.minSamples());
        if (shortfall != null) return ConditionResult.unknown(c, shortfall, s == null ? List.of() : s.evidence());
        Double observed = s.value(c.aggregate());
        if (observed == null) return ConditionResult.unknown(c, "no samples to weight the mean by", s.evidence());
        return ConditionResult.of(c, c.breaches(observed), c.recovers(observed), observed, c.line(), s.evidence(), note);
    }

    /** What a verdict notes beside its value: the resolve line, if any. */
    private static String note(ThresholdCondition c) {
        return c.resolve() == null ? null : "resolves at " + c.resolve();
    }
}
