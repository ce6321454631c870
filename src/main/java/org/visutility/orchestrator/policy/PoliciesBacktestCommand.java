package org.visutility.orchestrator.policy;

import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.policy.eval.Backtester;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.eval.PolicyState;
import org.visutility.orchestrator.policy.spec.PolicyFile;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.Migrations;
import org.visutility.orchestrator.policy.eval.ValuesAsOf;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "backtest", description = "Replay the policies of a file over stored history and print when each would have fired and resolved. Enqueues nothing.")
public final class PoliciesBacktestCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "FILE", description = "the policy file (YAML)")
    Path file;

    @Option(names = "--from", required = true, paramLabel = "T1", converter = InstantConverter.class,
            description = "first evaluation time: 2026-11-26T10:00:00Z or 2026-11-26 (UTC)")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "T2", converter = InstantConverter.class,
            description = "last evaluation time (inclusive)")
    Instant to;

    @Option(names = "--step", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "time between evaluations (default: the policy interval, ORCHESTRATOR_POLICY_INTERVAL)")
    Duration step;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Values values;

    /** Which revision of each snapshot the replay reads; the two options exclude each other. */
    static final class Values {
        @Option(names = "--as-known-at", description = "each instant sees only the values recorded by then, as the live passes did"
                + " (the default): reproduces the decisions made before a value was revised")
        boolean asKnownAt;

        @Option(names = "--as-now", description = "each instant sees today's current values, revised ones included:"
                + " what the decisions would have been on the numbers as they stand")
        boolean asNow;

        ValuesAsOf chosen() {
            return asNow ? ValuesAsOf.NOW : ValuesAsOf.KNOWN_AT;
        }
    }

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        PolicyFile parsed = PolicyFileParser.parse(file);
        OrchestratorConfig cfg = config.load();
        Duration every = step != null ? step : cfg.policyInterval();
        if (to.isBefore(from)) throw new UsageException("--to " + to + " is before --from " + from);
        if (every.isZero()) throw new UsageException("--step must be longer than zero");
        ValuesAsOf asOf = values == null ? ValuesAsOf.KNOWN_AT : values.chosen();
        Backtester.Report report;
        try (Database db = DatabaseConnector.open(cfg); ConditionPool sqlConditions = ConditionPool.of(db, cfg)) {
            new Migrations(db.dataSource()).migrate();
            try {
                report = db.jdbi().withHandle(h -> new Backtester(sqlConditions).run(h, parsed.specs(), from, to, every, asOf));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (json.enabled()) printJson(report, every);
        else printText(report, every);
        return ExitCode.OK;
    }

    private void printText(Backtester.Report report, Duration every) {
        for (String model : report.unknownModels()) {
            System.out.println("note: no model named " + model + " is stored; its policies were skipped");
        }
        if (report.recordedLater() > 0) {
            System.out.println("note: " + (report.recordedLater() >= Backtester.RECORDED_LATER_CAP ? "at least " : "")
                    + report.recordedLater() + " snapshot(s) observed in the range were recorded or revised after it;"
                    + " replayed as known at each instant, those values are not seen: --as-now replays on today's values");
        }
        for (Backtester.Event e : report.events()) {
            String action = e.wouldEnqueue() ? "  => would enqueue an experiment"
                    : e.to() == PolicyState.FIRING && e.guard() != null ? "  (no experiment: " + e.guard() + ")" : "";
            System.out.printf("%s  %s  %s  %s -> %s  %s: observed %s, threshold %s%s%s%n", e.at(), e.policy(), e.model(),
                    e.from().spelling(), e.to().spelling(), e.condition(), e.observed(), e.threshold(), action, realised(e.realised()));
        }
        for (Backtester.Precision p : report.precision()) {
            Double precision = p.precision();
            System.out.printf("%s  %s  precision against realised metrics: %s (confirmed %d, revised %d, pending %d)%n",
                    p.policy(), p.model(), precision == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", precision),
                    p.confirmed(), p.revised(), p.pending());
        }
        long fired = report.events().stream().filter(e -> e.to() == PolicyState.FIRING && e.from() != PolicyState.FIRING).count();
        long resolved = report.events().stream().filter(e -> e.to() == PolicyState.RESOLVED).count();
        long enqueued = report.events().stream().filter(Backtester.Event::wouldEnqueue).count();
        System.out.printf("%d policies evaluated at %d instants from %s to %s every %s on %s: fired %d times, resolved %d times,"
                        + " would have enqueued %d experiments (nothing was enqueued)%n",
                report.policies(), report.instants(), from, to, Durations.format(every),
                report.values() == ValuesAsOf.NOW ? "today's values (--as-now)" : "the values known at each instant (--as-known-at)",
                fired, resolved, enqueued);
    }

    private static String realised(Backtester.Realised r) {
        if (r == null) return "";
        String over = " over (" + r.windowStart() + ", decision]";
        return r.verdict() == Backtester.Verdict.PENDING
                ? "  [pending: no realised " + r.metric() + over + "]"
                : "  [" + r.verdict().spelling() + ": realised " + r.metric() + " " + r.value() + " (" + r.samples() + " samples)"
                        + over + ", " + r.direction() + " " + r.line() + " needed]";
    }

    private void printJson(Backtester.Report report, Duration every) throws Exception {
        System.out.println(Json.MAPPER.writeValueAsString(BacktestJson.of(report, from, to, every)));
    }
}
