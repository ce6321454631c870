package org.visutility.orchestrator.model;

import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code models register MODEL VERSION --artifact URI}: a version's artifact, so that the gate can score it. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = {"Register a version with its artifact (as a candidate), or record the artifact of a version first seen in snapshots.",
                "The challenger gate scores the model's active version from its artifact: without one, a gate cannot run and rejects."})
final class RegisterCommand implements Callable<Integer> {
    static final String DEFAULT_REASON = "registered by an operator";

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the model's name (registered too if it is new)")
    String model;

    @Parameters(index = "1", paramLabel = "VERSION", description = "the version's label")
    String version;

    @Option(names = "--artifact", paramLabel = "URI", required = true,
            description = "where the trained model is: a URI with a scheme (s3://..., file:..., https://...) kept as written, or a local file, stored as an absolute path (at most 2048 characters)")
    String artifact;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why, recorded with a new version's registration (default: \"" + DEFAULT_REASON + "\")")
    String reason;

    @Mixin
    OperatorOption operator;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        ModelArguments.name("MODEL", model);
        ModelArguments.name("VERSION", version);
        String uri = ArtifactUri.checked("--artifact", artifact);
        String why = reason == null ? DEFAULT_REASON : LifecycleText.reason("--reason", reason);
        Actor actor = operator.actor();
        try (Database db = MigratedDatabase.open(config.load())) {
            OperatorActions.Registration r = db.jdbi().inTransaction(h -> OperatorActions.register(h, model, version, uri, actor, why));
            if (json.enabled()) {
                System.out.println(Json.MAPPER.createObjectNode().put("model", r.version().model())
                        .put("registered", r.registered()).put("artifact_recorded", r.artifactRecorded())
                        .set("version", r.version().toJson()));
            } else if (r.registered()) {
                System.out.printf("%s registered as a candidate with artifact %s%n", r.version().label(), uri);
            } else if (r.artifactRecorded()) {
                System.out.printf("%s (%s) has the artifact %s%n", r.version().label(), r.version().status().sql(), uri);
            } else {
                System.out.printf("%s already has this artifact; nothing changed%n", r.version().label());
            }
            return ExitCode.OK;
        }
    }
}
