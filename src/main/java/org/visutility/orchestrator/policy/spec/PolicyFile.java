package org.visutility.orchestrator.policy.spec;

import java.util.List;

/** A validated policy file: its policies in file order, each with the lines it was written at (for later checks' messages). */
public record PolicyFile(String label, List<Entry> entries) {

    /** A policy and where it is: the line of the policy and of each of its conditions. */
    public record Entry(PolicySpec spec, int line, List<Integer> conditionLines, String path) {
        public Problem problemAtCondition(int index, String reason) {
            return new Problem(conditionLines.get(index), path + ".when" + (conditionLines.size() > 1 ? "[" + index + "]" : ""), reason);
        }
    }

    public PolicyFile {
        entries = List.copyOf(entries);
    }

    public List<PolicySpec> specs() {
        return entries.stream().map(Entry::spec).toList();
    }
}
