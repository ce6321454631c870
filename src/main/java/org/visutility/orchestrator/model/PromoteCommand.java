package org.visutility.orchestrator.model;

import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ServerOption;
import org.visutility.orchestrator.core.ControlClient;
import org.visutility.orchestrator.config.OrchestratorConfig;
import java.util.Optional;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code models promote MODEL VERSION [--force]}: the version becomes active, the active one retired. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Make a version active (a candidate is approved first; a retired one returns to service); the active version is retired. A rejected version needs --force.")
final class PromoteCommand implements Callable<Integer> {
    static final String DEFAULT_REASON = "promoted by an operator";

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the model's name")
    String model;

    @Parameters(index = "1", paramLabel = "VERSION", description = "the version's label")
    String version;

    @Option(names = "--force", description = "promote a rejected version too")
    boolean force;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why, recorded with each change (at most 500 characters; default: \"" + DEFAULT_REASON + "\")")
    String reason;

    @Mixin
    OperatorOption operator;

    @Mixin
    ServerOption server;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        ModelArguments.name("MODEL", model);
        ModelArguments.name("VERSION", version);
        String why = reason == null ? DEFAULT_REASON : LifecycleText.reason("--reason", reason);
        OrchestratorConfig cfg = config.load();
        Optional<ControlClient> client = server.client(cfg);
        if (client.isPresent()) {
            return ModelsOverHttp.send(client.get(), ModelsOverHttp.versionPath(ModelControlRoutes.PROMOTE, model, version),
                    ModelsOverHttp.body().put("force", force).put("reason", why), operator, json.enabled());
        }
        Actor actor = operator.actor();
        try (Database db = MigratedDatabase.open(cfg)) {
            OperatorActions.Outcome outcome = db.jdbi().inTransaction(h -> OperatorActions.promote(h, model, version, force, actor, why));
            if (json.enabled()) {
                System.out.println(ChangesText.json(outcome));
            } else if (!outcome.changed()) {
                System.out.printf("%s is already active; nothing changed%n", outcome.version().label());
            } else {
                System.out.printf("%s is active (was %s)%s%n", outcome.version().label(), outcome.version().status(),
                        outcome.retirement().map(r -> "; " + r.version() + " retired").orElse(""));
                System.out.print(ChangesText.table(outcome));
            }
            return ExitCode.OK;
        }
    }
}
