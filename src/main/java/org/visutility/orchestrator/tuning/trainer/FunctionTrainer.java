package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Parameter;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A built-in objective with no training at all: it computes a value from the parameters, so that
 * what a run costs is the orchestration alone ({@code orchestrator bench trials}) and tests need
 * no external program. {@code function: sphere} reports {@code loss}, the sum over parameters of
 * (position in the range − 0.5)², smallest (0) at the middle of every range.
 */
public final class FunctionTrainer implements Trainer {
    public static final String TYPE = "function";
    public static final String SPHERE = "sphere";
    public static final String METRIC = "loss";

    private final SearchSpace space;

    public FunctionTrainer(SearchSpace space) {
        this.space = space;
    }

    @Override
    public TrialResult train(TrialContext trial, TrialReporter reporter) {
        double loss = 0;
        for (Parameter p : space.parameters()) {
            double u = p.position(trial.params().get(p.name())) - 0.5;
            loss += u * u;
        }
        return TrialResult.complete(Map.of(METRIC, loss), Optional.empty());
    }

    /** Registered in META-INF/services. */
    public static final class Provider implements TrainerProvider {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void validate(ObjectNode options, Violations v) {
            Fields.onlyKeys(options, "trainer", v, "type", "function");
            Fields.text(options, "function", "trainer", v, true).ifPresent(f -> {
                if (!List.of(SPHERE).contains(f)) v.add("trainer.function", "must be " + SPHERE + " (is '" + f + "')");
            });
        }

        @Override
        public Trainer create(ObjectNode options, SearchSpace space) {
            return new FunctionTrainer(space);
        }

        /** The function computed; it reads no dataset. */
        @Override
        public TrainerProvenance provenance(ObjectNode options) {
            return TrainerProvenance.algorithm(options.path("function").asText(SPHERE), Optional.empty());
        }
    }
}
