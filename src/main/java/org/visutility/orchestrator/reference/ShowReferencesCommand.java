package org.visutility.orchestrator.reference;

import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.TextTable;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code references show MODEL VERSION}: the current reference histograms and calibration, with where they came from. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a model version's current reference: each feature's histogram and origin, and the calibration with its error."
                + " --json prints it in the shape of a references file (plus origins).")
final class ShowReferencesCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the model's name")
    String model;

    @Parameters(index = "1", paramLabel = "VERSION", description = "the version's label")
    String version;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        try (Database db = MigratedDatabase.open(config.load())) {
            record Shown(List<ReferenceStore.StoredHistogram> histograms, Optional<ReferenceStore.StoredCalibration> calibration) {
            }
            Shown shown = db.jdbi().withHandle(h -> {
                long id = ReferenceStore.versionId(h, model, version)
                        .orElseThrow(() -> new UsageException("no version " + version + " of model " + model));
                return new Shown(ReferenceStore.currentHistograms(h, id), ReferenceStore.currentCalibration(h, id));
            });
            if (json.enabled()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("model", model);
                body.put("version", version);
                body.put("features", shown.histograms().stream().map(s -> {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("feature", s.feature());
                    f.putAll(s.histogram().toJson());
                    f.put("origin", s.origin());
                    s.window().ifPresent(w -> f.put("window", w.start() + ".." + w.end()));
                    f.put("set_by", s.setBy());
                    f.put("set_at", s.setAt().toString());
                    return f;
                }).toList());
                shown.calibration().ifPresent(c -> {
                    Map<String, Object> m = new LinkedHashMap<>(c.calibration().toJson());
                    m.put("origin", c.origin());
                    m.put("set_at", c.setAt().toString());
                    body.put("calibration", m);
                });
                System.out.println(Json.MAPPER.writeValueAsString(body));
                return ExitCode.OK;
            }
            if (shown.histograms().isEmpty()) {
                System.out.printf("%s %s has no reference (references set %s %s FILE sets one)%n", model, version, model, version);
            } else {
                TextTable t = new TextTable("FEATURE", "KIND", "BINS", "SAMPLES", "ORIGIN", "SET BY", "SET AT");
                for (ReferenceStore.StoredHistogram s : shown.histograms()) {
                    t.row(s.feature(), s.histogram().kind().word(), s.histogram().bins(), s.histogram().sampleCount(),
                            s.origin() + s.window().map(w -> " " + w.start() + ".." + w.end()).orElse(""), s.setBy(), s.setAt());
                }
                System.out.print(t);
            }
            shown.calibration().ifPresentOrElse(c -> System.out.printf(Locale.ROOT,
                            "calibration (%s): %d bins, threshold %s, positive class %s, calibration error %.4f%n", c.origin(),
                            c.calibration().counts().length, c.calibration().threshold(), c.calibration().positiveClass(), c.calibrationError()),
                    () -> System.out.println("no calibration"));
            return ExitCode.OK;
        }
    }
}
