package org.visutility.orchestrator.tuning.pruning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.IntermediateReport;
import org.visutility.orchestrator.tuning.Objective;
import org.visutility.orchestrator.tuning.Violations;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The rule {@code hyperband}: Hyperband (Li et al., JMLR 2018) run as brackets of asynchronous
 * successive halving, as in Li et al., MLSys 2020. With s_max the largest s such that
 * {@code min_resource · reduction_factor^s ≤ max_resource}, bracket r = 0..s_max is the rule
 * {@code asha} with {@code min_early_stopping_rate: r}: bracket 0 judges trials from
 * {@code min_resource} on, bracket s_max (almost) never stops one. Each trial belongs to one bracket
 * ({@link HyperbandBrackets}), and is compared only with the finished trials of its bracket.
 */
public final class HyperbandPruner implements Pruner {
    public static final String RULE = "hyperband";

    private final HyperbandBrackets brackets;
    private final List<AshaPruner> rules = new ArrayList<>();

    public HyperbandPruner(Objective objective, long minResource, long reductionFactor, long maxResource) {
        brackets = new HyperbandBrackets(reductionFactor, HyperbandBrackets.sMax(minResource, reductionFactor, maxResource));
        for (int r = 0; r < brackets.count(); r++) {
            int bracket = r;
            rules.add(new AshaPruner(objective, Rungs.of(minResource, reductionFactor, r, OptionalLong.of(maxResource)),
                    reductionFactor, n -> brackets.of(n) == bracket));
        }
    }

    /** The bracket (its min_early_stopping_rate) of trial {@code number}. */
    public int bracketOf(int number) {
        return brackets.of(number);
    }

    public int bracketCount() {
        return brackets.count();
    }

    @Override
    public boolean shouldPrune(int number, List<IntermediateReport> reports, List<FinishedTrial> finished) {
        return rules.get(brackets.of(number)).shouldPrune(number, reports, finished);
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements PrunerProvider {
        @Override
        public String rule() {
            return RULE;
        }

        @Override
        public void validate(ObjectNode options, Violations v) {
            Fields.onlyKeys(options, "pruning", v, "rule", "min_resource", "reduction_factor", "max_resource");
            HalvingOptions.read(options, RULE, true, false, v);
        }

        @Override
        public Pruner create(ObjectNode options, Objective objective) {
            Violations problems = new Violations();
            HalvingOptions o = HalvingOptions.read(options, RULE, true, false, problems)
                    .orElseThrow(() -> new IllegalArgumentException(String.join("; ", problems.messages())));
            return new HyperbandPruner(objective, o.minResource(), o.reductionFactor(), o.maxResource().getAsLong());
        }
    }
}
