package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.core.TextTable;
import org.visutility.orchestrator.core.JsonOption;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code experiments show ID}: the experiment, its trial table and its best set. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show an experiment: its status, every trial, the best hyperparameter set and the model version.")
final class ShowCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "ID", description = "the experiment's id")
    long id;

    @Option(names = "--trial", paramLabel = "NUMBER", description = "show this trial alone: its params, outcome, whole error and where its logs are")
    Integer trial;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        try (Database db = MigratedDatabase.open(config.load())) {
            ExperimentReports.Summary s = db.jdbi().withHandle(h -> ExperimentReports.summary(h, id))
                    .orElseThrow(() -> new UsageException("no experiment " + id));
            List<ExperimentReports.TrialLine> trials = db.jdbi().withHandle(h -> ExperimentReports.trials(h, id));
            Optional<ExperimentReports.Result> result = db.jdbi().withHandle(h -> ExperimentReports.result(h, id));
            if (trial != null) {
                ExperimentReports.TrialLine t = trials.stream().filter(l -> l.number() == trial).findFirst()
                        .orElseThrow(() -> new UsageException("experiment " + id + " has no trial " + trial));
                System.out.print(json.enabled() ? t.toJson() + System.lineSeparator() : ExperimentText.trial(id, t));
                return ExitCode.OK;
            }
            if (json.enabled()) {
                ObjectNode out = s.toJson();
                ArrayNode list = out.putArray("trial_table");
                trials.forEach(t -> list.add(t.toJson()));
                ObjectNode perNode = out.putObject("trials_per_node");
                ExperimentText.perNodeCounts(trials).forEach((node, counts) -> {
                    ObjectNode n = perNode.putObject(node);
                    counts.forEach(n::put);
                });
                out.set("result", result.map(ExperimentReports.Result::toJson).orElse(null));
                System.out.println(out);
                return ExitCode.OK;
            }
            System.out.printf("experiment %d (model %s, %s, strategy %s, %s %s): %s%n", s.id(), s.model(), s.trigger(),
                    s.strategy(), s.direction(), s.metric(), s.status());
            s.error().ifPresent(e -> System.out.println("error: " + e));
            s.supersedes().ifPresent(old -> System.out.println("supersedes experiment " + old));
            s.supersededBy().ifPresent(next -> System.out.println("superseded by experiment " + next));
            System.out.println(ExperimentText.progress(s));
            TextTable table = new TextTable("TRIAL", "STATUS", "SCORE", "ATTEMPT", "TIME", "PARAMS", "ERROR");
            for (ExperimentReports.TrialLine t : trials) {
                table.row(t.number(), t.excluded() ? t.status() + " (excluded)" : t.status(), t.score().isPresent() ? ExperimentText.number(t.score().getAsDouble()) : null,
                        t.attempt(), t.finishedAt().map(f -> ExperimentText.duration(t.startedAt(), f)).orElse(null),
                        t.params(), t.error().map(ExperimentText::firstLine).orElse(null));
            }
            System.out.print(table);
            System.out.print(ExperimentText.perNode(trials));
            System.out.print(ExperimentText.trialErrors(trials));
            result.ifPresentOrElse(r -> {
                System.out.printf("best set: trial %d, %s %s, %s%n", r.trialNumber(), s.metric(), ExperimentText.number(r.score()), r.params());
                r.modelVersion().ifPresent(v -> System.out.printf("model version: %s %s (%s)%s%n", s.model(), v, r.modelVersionStatus().orElse("?"),
                        r.versionTrainedWithReplacedSet() ? ", trained with trial " + r.modelVersionTrialNumber().getAsInt()
                                + " (a best set replaced since)" : ""));
                r.gateVerdict().ifPresent(g -> System.out.printf("gate: %s, %s%n", g, ExperimentText.firstLine(r.gateReason().orElse(""))));
            }, () -> System.out.println("best set: none yet"));
            return ExitCode.OK;
        }
    }
}
