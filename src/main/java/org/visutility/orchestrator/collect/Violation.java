package org.visutility.orchestrator.collect;

/**
 * One broken rule of one item.
 *
 * @param position the item's index in an HTTP batch (from 0), its line in a file or its row in a SQL pull (from 1);
 *                 {@link #WHOLE_INPUT} for a rule about the input as a whole
 * @param field    the field, e.g. {@code observed_at} or {@code metrics.accuracy}
 * @param rule     what is wrong, in words a person can act on
 */
public record Violation(int position, String field, String rule) {
    public static final int WHOLE_INPUT = -1;

    public static Violation ofInput(String field, String rule) {
        return new Violation(WHOLE_INPUT, field, rule);
    }
}
