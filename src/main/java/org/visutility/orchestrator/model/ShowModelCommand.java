package org.visutility.orchestrator.model;

import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.TextTable;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code models show MODEL}: the model's versions and every status change of each. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a model's versions (status, source, experiment, artifact, created), each version's status changes, and the challenger gate's verdicts.")
final class ShowModelCommand implements Callable<Integer> {
    private static final int MAX_LIMIT = 10_000;

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "MODEL", description = "the model's name")
    String model;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many versions, newest first (default ${DEFAULT-VALUE})")
    int limit;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        ModelArguments.name("MODEL", model);
        if (limit < 1 || limit > MAX_LIMIT) throw new UsageException("--limit must be between 1 and " + MAX_LIMIT + " (is " + limit + ")");
        try (Database db = MigratedDatabase.open(config.load())) {
            ModelReports.History history = db.jdbi().withHandle(h -> ModelReports.history(h, model, limit))
                    .orElseThrow(() -> new UsageException("no model " + LifecycleText.shown(model) + " (models list shows them)"));
            if (json.enabled()) {
                System.out.println(history.toJson());
                return ExitCode.OK;
            }
            System.out.printf("model %s: %s; %d version%s%s%n", model,
                    history.active().map(v -> "active version " + v.version()).orElse("no active version"),
                    history.total(), history.total() == 1 ? "" : "s",
                    history.versions().size() < history.total() ? " (the newest " + history.versions().size() + " shown)" : "");
            TextTable versions = new TextTable("VERSION", "STATUS", "SOURCE", "EXPERIMENT", "ARTIFACT", "CREATED");
            for (VersionRow v : history.versions()) {
                versions.row(v.version(), v.status(), v.source(), v.experimentId().orElse(null), v.artifactUri().orElse(null), v.createdAt());
            }
            System.out.print(versions);
            TextTable events = new TextTable("VERSION", "AT", "FROM", "TO", "ACTOR", "REASON");
            int shown = 0;
            for (VersionRow v : history.versions()) {
                List<Change> changes = history.events().getOrDefault(v.id(), List.of());
                for (Change c : changes) {
                    events.row(c.version(), c.at(), c.from().map(VersionStatus::sql).orElse("(new)"), c.to(), c.actor(), c.reason());
                    shown++;
                }
            }
            System.out.println();
            System.out.println(shown == 0 ? "no status changes recorded" : "status changes, per version, oldest first:");
            if (shown > 0) System.out.print(events);
            if (!history.gates().isEmpty()) {
                TextTable gates = new TextTable("VERSION", "EXPERIMENT", "VERDICT", "METRIC", "CANDIDATE VS ACTIVE", "REASON");
                for (VersionRow v : history.versions()) {
                    GateVerdict g = history.gates().get(v.id());
                    if (g != null) gates.row(v.version(), g.experimentId(), g.verdict(), g.metric().orElse("-"), g.scores(), g.reason());
                }
                System.out.println();
                System.out.println("the challenger gate's verdicts:");
                System.out.print(gates);
            }
            return ExitCode.OK;
        }
    }
}
