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

/** {@code models rollback MODEL}: the previously active version back to active, the active one retired. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Put the previously active version back into service and retire the active one. Tell the serving stack to switch too.")
final class RollbackCommand implements Callable<Integer> {
    static final String DEFAULT_REASON = "rolled back by an operator";

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "MODEL", description = "the model's name")
    String model;

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
        String why = reason == null ? DEFAULT_REASON : LifecycleText.reason("--reason", reason);
        OrchestratorConfig cfg = config.load();
        Optional<ControlClient> client = server.client(cfg);
        if (client.isPresent()) {
            return ModelsOverHttp.send(client.get(), ModelsOverHttp.modelPath(ModelControlRoutes.ROLLBACK, model),
                    ModelsOverHttp.body().put("reason", why), operator, json.enabled());
        }
        Actor actor = operator.actor();
        try (Database db = MigratedDatabase.open(cfg)) {
            OperatorActions.Outcome outcome = db.jdbi().inTransaction(h -> OperatorActions.rollback(h, model, actor, why));
            if (json.enabled()) {
                System.out.println(ChangesText.json(outcome));
            } else {
                System.out.printf("model %s rolled back: %s is active again%s%n", model, outcome.version().version(),
                        outcome.retirement().map(r -> ", " + r.version() + " retired").orElse(""));
                System.out.print(ChangesText.table(outcome));
            }
            return ExitCode.OK;
        }
    }
}
