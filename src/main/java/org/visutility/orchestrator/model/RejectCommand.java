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

/** {@code models reject MODEL VERSION --reason TEXT}: a candidate or approved version will not serve. */
@Command(name = "reject", mixinStandardHelpOptions = true,
        description = "Reject a candidate or approved version, with the reason; serving snapshots no longer activate it (promote --force still can).")
final class RejectCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the model's name")
    String model;

    @Parameters(index = "1", paramLabel = "VERSION", description = "the version's label")
    String version;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (1-500 characters, recorded with the change)")
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
        String why = LifecycleText.reason("--reason", reason);
        OrchestratorConfig cfg = config.load();
        Optional<ControlClient> client = server.client(cfg);
        if (client.isPresent()) {
            return ModelsOverHttp.send(client.get(), ModelsOverHttp.versionPath(ModelControlRoutes.REJECT, model, version),
                    ModelsOverHttp.body().put("reason", why), operator, json.enabled());
        }
        Actor actor = operator.actor();
        try (Database db = MigratedDatabase.open(cfg)) {
            OperatorActions.Outcome outcome = db.jdbi().inTransaction(h -> OperatorActions.reject(h, model, version, actor, why));
            if (json.enabled()) {
                System.out.println(ChangesText.json(outcome));
            } else if (!outcome.changed()) {
                System.out.printf("%s is already rejected; nothing changed%n", outcome.version().label());
            } else {
                System.out.printf("%s is rejected (was %s)%n", outcome.version().label(), outcome.version().status());
                System.out.print(ChangesText.table(outcome));
            }
            return ExitCode.OK;
        }
    }
}
