package org.visutility.orchestrator.experiment;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.store.SqlFiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses, at submit, a {@code strategy.warm_start} with {@code from: experiment} whose ids are not
 * experiments of the spec's model: the spec alone cannot tell, the database can.
 */
final class WarmStartCheck {
    private static final String EXPERIMENTS = SqlFiles.load(WarmStartCheck.class, "WarmStartExperiments");

    private WarmStartCheck() {
    }

    /** Throws {@link InvalidSpecException} naming each id that is unknown or of another model. */
    static void check(Handle h, ExperimentSpec spec) {
        List<Long> ids = spec.strategy().warmStart().filter(w -> w.from() == WarmStart.Source.EXPERIMENT)
                .map(WarmStart::ids).orElse(List.of());
        if (ids.isEmpty()) return;
        Map<Long, String> models = new java.util.HashMap<>();
        h.createQuery(EXPERIMENTS).bindArray("ids", Long.class, ids).map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("model")))
                .forEach(e -> models.put(e.getKey(), e.getValue()));
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String model = models.get(ids.get(i));
            String path = "strategy.warm_start.ids[" + i + "]";
            if (model == null) {
                violations.add(path + ": no experiment " + ids.get(i) + " (a warm start reads earlier experiments of the same model)");
            } else if (!model.equals(spec.model())) {
                violations.add(path + ": experiment " + ids.get(i) + " tunes model " + model + ", not " + spec.model()
                        + " (a warm start reads earlier experiments of the same model)");
            }
        }
        if (!violations.isEmpty()) throw new InvalidSpecException(null, violations);
    }
}
