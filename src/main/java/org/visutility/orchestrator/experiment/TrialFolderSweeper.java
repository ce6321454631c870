package org.visutility.orchestrator.experiment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

/**
 * Removes the trial folders ({@code $ORCHESTRATOR_HOME/experiments/ID/trials/NUMBER-ATTEMPT}: the
 * trainer's files, stdout.log, stderr.log) untouched for longer than trial_folder_retention. Trial
 * folders are on the disk of the node that ran the trial, so every serve node sweeps its own home;
 * it skips the experiments it runs now. A folder's age is its newest modification among itself and
 * the files directly in it. What the database holds (trials, errors, the model's artifact URI) stays.
 */
public final class TrialFolderSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(TrialFolderSweeper.class);

    private final Path experiments;
    private final Duration retention;
    private final LongPredicate running;
    private final Clock clock;

    /**
     * @param home    the node's home (ORCHESTRATOR_HOME)
     * @param running whether this node runs an experiment now (by id): its folders are left alone
     */
    public TrialFolderSweeper(Path home, Duration retention, LongPredicate running, Clock clock) {
        this.experiments = home.resolve("experiments");
        this.retention = retention;
        this.running = running;
        this.clock = clock;
    }

    /** Removes the folders past retention; returns how many. Problems are logged, never thrown: the next sweep tries again. */
    public int sweep() {
        if (!Files.isDirectory(experiments, LinkOption.NOFOLLOW_LINKS)) return 0;
        Instant cutoff = clock.instant().minus(retention);
        int removed = 0;
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(experiments)) {
            for (Path experiment : ids) {
                Long id = experimentId(experiment);
                if (id == null || running.test(id)) continue;
                Path trials = experiment.resolve("trials");
                if (!Files.isDirectory(trials, LinkOption.NOFOLLOW_LINKS)) continue;
                try (DirectoryStream<Path> attempts = Files.newDirectoryStream(trials)) {
                    for (Path attempt : attempts) {
                        try {
                            if (Files.isDirectory(attempt, LinkOption.NOFOLLOW_LINKS) && lastTouched(attempt).isBefore(cutoff)) {
                                delete(attempt);
                                removed++;
                            }
                        } catch (IOException e) {
                            LOG.warn("Cannot remove the trial folder {}: {}", attempt, e.getMessage());
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Trial folder sweep stopped: {}", e.getMessage());
        }
        if (removed > 0) LOG.info("Removed {} trial folders untouched for more than {}", removed, retention);
        return removed;
    }

    private static Long experimentId(Path folder) {
        try {
            return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) ? Long.parseLong(folder.getFileName().toString()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant lastTouched(Path folder) throws IOException {
        Instant newest = Files.getLastModifiedTime(folder, LinkOption.NOFOLLOW_LINKS).toInstant();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Instant t = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
                if (t.isAfter(newest)) newest = t;
            }
        }
        return newest;
    }

    /** Deletes the folder and what it holds; links are removed, never followed. */
    private static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
