package org.visutility.orchestrator.reference;

import org.visutility.orchestrator.collect.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model version's reference: one histogram per feature (the model's output as the feature
 * {@code prediction}) and, for a binary classifier, the calibration of its predicted probability.
 * The same JSON shape in a references file, a command trainer's final report and the HTTP route
 * ({@link ReferenceDocument}).
 */
public record References(Map<String, Histogram> features, Optional<Calibration> calibration) {
    public References {
        features = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** The JSON form: {@code {"features": [{"feature", "kind", "bins", "counts"}...], "calibration": {...}}}. */
    public Map<String, Object> toJson() {
        List<Map<String, Object>> list = new ArrayList<>();
        features.forEach((name, h) -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("feature", name);
            f.putAll(h.toJson());
            list.add(f);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("features", list);
        calibration.ifPresent(c -> out.put("calibration", c.toJson()));
        return out;
    }
}
