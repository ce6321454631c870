package org.visutility.orchestrator.policy;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.spec.PolicyFile;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "apply", description = "Create or update the policies of a policy file (validated whole: an invalid file changes nothing, exit 2).")
public final class PoliciesApplyCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "FILE", description = "the policy file (YAML)")
    Path file;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        PolicyFile parsed = PolicyFileParser.parse(file);
        OrchestratorConfig cfg = config.load();
        try (Database db = DatabaseConnector.open(cfg); ConditionPool sqlConditions = ConditionPool.of(db, cfg)) {
            new Migrations(db.dataSource()).migrate();
            String source = file.toAbsolutePath().normalize().toString();
            List<PolicyApplier.Outcome> outcomes = new PolicyApplier(db.jdbi(), sqlConditions).apply(parsed, source);
            if (json.enabled()) {
                System.out.println(Json.MAPPER.writeValueAsString(PolicyApplier.toJson(outcomes, "file", source)));
            } else {
                for (PolicyApplier.Outcome o : outcomes) {
                    String version = o.previousVersion() == null ? "v" + o.version() : "v" + o.previousVersion() + " -> v" + o.version();
                    System.out.printf("%-9s %s %s (model %s)%n", o.action().spelling(), o.policy(), version, o.model());
                }
                long changed = outcomes.stream().filter(o -> o.action() != PolicyApplier.Action.UNCHANGED).count();
                System.out.printf("%d policies in %s; %d changed%n", parsed.entries().size(), file, changed);
            }
        }
        return ExitCode.OK;
    }
}
