package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.UsageException;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.MigratedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code orchestrator bench cluster [--trials N] [--trial-seconds S] [--per-node P] [--nodes 1,2,4] [--repetitions R] [--json]}. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Measure one experiment's wall time across 1, 2 and 4 serve nodes started as child JVMs on this machine.")
public final class BenchClusterCommand implements Callable<Integer> {
    private static final int MAX_NODES = 16;

    @Mixin
    ConfigOption config;

    @Option(names = "--trials", defaultValue = "60", description = "trials of the experiment (default ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--trial-seconds", defaultValue = "1", description = "how long each trial's trainer sleeps (default ${DEFAULT-VALUE})")
    double trialSeconds;

    @Option(names = "--per-node", defaultValue = "2", description = "trials_per_node of every node; budget.parallel is nodes x this (default ${DEFAULT-VALUE})")
    int perNode;

    @Option(names = "--nodes", defaultValue = "1,2,4", split = ",", description = "node counts to measure, increasing, starting at 1 (default ${DEFAULT-VALUE})")
    List<Integer> nodes = new ArrayList<>();

    @Option(names = "--repetitions", defaultValue = "1", description = "measured experiments per node count, after a short warm-up one (1-5, default ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--keep", description = "keep the scratch database afterwards")
    boolean keep;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (trials < 4 || trials > 1000) throw new UsageException("--trials must be from 4 to 1000");
        if (trialSeconds < 0.1 || trialSeconds > 60) throw new UsageException("--trial-seconds must be from 0.1 to 60");
        if (perNode < 1 || perNode > 16) throw new UsageException("--per-node must be from 1 to 16");
        if (repetitions < 1 || repetitions > 5) throw new UsageException("--repetitions must be from 1 to 5");
        if (nodes.isEmpty() || nodes.get(0) != 1) throw new UsageException("--nodes must start with 1 (the speed-ups are over one node)");
        for (int i = 1; i < nodes.size(); i++) {
            if (nodes.get(i) <= nodes.get(i - 1) || nodes.get(i) > MAX_NODES) {
                throw new UsageException("--nodes must increase and be at most " + MAX_NODES);
            }
        }
        OrchestratorConfig cfg = config.load();
        try (Database db = MigratedDatabase.open(cfg)) {
            ClusterBenchmark.Result r = ClusterBenchmark.run(db, trials, trialSeconds, perNode, nodes, repetitions, keep);
            System.out.print(json.enabled() ? r.toJson() + "\n" : r.text());
            return ExitCode.OK;
        }
    }
}
