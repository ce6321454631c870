package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ControlClient;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ServerOption;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.LifecycleText;
import org.visutility.orchestrator.model.OperatorOption;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Optional;

/**
 * What trials exclude and trials include share: the arguments, their checks (all before anything is
 * written), and the change made in one transaction on the database or through the control API.
 */
abstract class TrialChangeOptions {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "the experiment's id")
    long experiment;

    @Parameters(index = "1", paramLabel = "NUMBER", description = "the trial's number within the experiment (from 0)")
    int number;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "why (1-500 characters, recorded with the change)")
    String reason;

    @Mixin
    OperatorOption operator;

    @Mixin
    ServerOption server;

    @Mixin
    JsonOption json;

    int run(TrialExclusions.Action action) {
        if (experiment <= 0) throw new UsageException("EXPERIMENT must be a positive whole number (an experiment's id), got " + experiment);
        if (number < 0) throw new UsageException("NUMBER must be a trial number, 0 or more, got " + number);
        String why = LifecycleText.reason("--reason", reason);
        OrchestratorConfig cfg = config.load();
        Optional<ControlClient> client = server.client(cfg);
        if (client.isPresent()) return overHttp(client.get(), action, why);
        Actor actor = operator.actor();
        try (Database db = MigratedDatabase.open(cfg)) {
            TrialExclusions.Outcome outcome;
            try {
                outcome = db.jdbi().inTransaction(h -> TrialExclusions.change(h, experiment, number, action, actor, why));
            } catch (ExclusionRefused e) {
                throw new UsageException(e.getMessage());
            }
            System.out.print(json.enabled() ? outcome.toJson() + System.lineSeparator() : ExclusionText.text(outcome.toJson()));
            return ExitCode.OK;
        }
    }

    private int overHttp(ControlClient client, TrialExclusions.Action action, String why) {
        if (operator.given()) {
            throw new UsageException("--actor cannot be used with --server: the node records the token's name as the actor");
        }
        String route = action == TrialExclusions.Action.EXCLUDE ? TrialExclusionRoutes.EXCLUDE : TrialExclusionRoutes.INCLUDE;
        String path = route.replace("{id}", Long.toString(experiment)).replace("{number}", Integer.toString(number));
        ControlClient.Answer answer = client.post(path, "application/json", Json.MAPPER.createObjectNode().put("reason", why).toString());
        if (!answer.ok()) throw new UsageException(answer.error());
        JsonNode out = answer.body();
        System.out.print(json.enabled() ? out + System.lineSeparator() : ExclusionText.text(out));
        return ExitCode.OK;
    }
}
