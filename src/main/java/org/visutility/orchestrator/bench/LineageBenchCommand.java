package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.JsonOption;
import org.visutility.orchestrator.core.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code orchestrator bench lineage [--size F] [--repetitions N] [--questions FILE] [--keep] [--json]}. */
@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = "Build a history of 10 million snapshots, 1,000 models, 2,000 experiments and 100,000 trials (times --size) through the real"
                + " write paths, then time every documented question of docs/lineage.md as the reader role, at full size and on a history 10x smaller.")
public final class LineageBenchCommand implements Callable<Integer> {
    static final double MIN_SIZE = 0.0001;
    static final int MIN_REPETITIONS = 3;
    static final int MAX_REPETITIONS = 100;

    @Mixin
    ConfigOption config;

    @Option(names = "--size", paramLabel = "F", defaultValue = "1", description = "scale of the history, " + MIN_SIZE + " to 1 (default ${DEFAULT-VALUE})")
    double size;

    @Option(names = "--repetitions", paramLabel = "N", defaultValue = "7", description = "measured runs of each question (default ${DEFAULT-VALUE})")
    int repetitions;

    @Option(names = "--questions", paramLabel = "FILE", defaultValue = "docs/lineage.md", description = "the document whose questions are timed (default ${DEFAULT-VALUE})")
    Path questions;

    @Option(names = "--keep", description = "keep the scratch database afterwards")
    boolean keep;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (!(size >= MIN_SIZE && size <= 1)) throw new UsageException("--size must be from " + MIN_SIZE + " to 1");
        if (repetitions < MIN_REPETITIONS || repetitions > MAX_REPETITIONS) {
            throw new UsageException("--repetitions must be from " + MIN_REPETITIONS + " to " + MAX_REPETITIONS);
        }
        String doc;
        try {
            doc = Files.readString(questions);
        } catch (IOException e) {
            throw new UsageException("--questions: cannot read " + questions + " (" + e.getMessage() + "); run from the repository or name the file");
        }
        LineageBenchmark.Report r = new LineageBenchmark(line -> System.err.println(line)).run(config.load(), size, repetitions, doc, keep);
        System.out.print(json.enabled() ? r.toJson() + "\n" : r.text());
        return ExitCode.OK;
    }
}
