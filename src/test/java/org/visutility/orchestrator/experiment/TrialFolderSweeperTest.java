package org.visutility.orchestrator.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Trial folders untouched for longer than trial_folder_retention are removed; newer ones, and those of a running experiment, stay. */
class TrialFolderSweeperTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(7);

    @TempDir
    Path home;

    private Path attempt(long experiment, String attempt, Instant touched) throws Exception {
        Path folder = Files.createDirectories(home.resolve("experiments").resolve(Long.toString(experiment)).resolve("trials").resolve(attempt));
        Path log = Files.writeString(folder.resolve("stdout.log"), "output\n");
        Files.setLastModifiedTime(log, FileTime.from(touched));
        Files.setLastModifiedTime(folder, FileTime.from(touched));
        return folder;
    }

    @Test
    void oldTrialFoldersAreRemovedAfterTheRetentionAndTheOthersStay() throws Exception {
        Path old = attempt(1, "0-1", NOW.minus(Duration.ofDays(8)));
        Path recent = attempt(1, "1-1", NOW.minus(Duration.ofDays(6)));
        Path oldButWrittenLately = attempt(2, "0-1", NOW.minus(Duration.ofDays(30)));
        Files.setLastModifiedTime(Files.writeString(oldButWrittenLately.resolve("stderr.log"), "late\n"), FileTime.from(NOW.minus(Duration.ofHours(1))));
        Path oldOfARunningExperiment = attempt(3, "0-1", NOW.minus(Duration.ofDays(8)));
        Path gateFolder = Files.createDirectories(home.resolve("experiments").resolve("1").resolve("gate"));

        int removed = new TrialFolderSweeper(home, RETENTION, id -> id == 3, Clock.fixed(NOW, ZoneOffset.UTC)).sweep();

        assertThat(removed).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(oldButWrittenLately).exists();
        assertThat(oldOfARunningExperiment).exists();
        assertThat(gateFolder).as("only trial folders are swept").exists();
    }

    @Test
    void aLinkInATrialFolderIsRemovedNotFollowed() throws Exception {
        // the link's own time is when it was made (it cannot be set): the sweep runs 30 days after that
        Instant later = Instant.now().plus(Duration.ofDays(30));
        Path outside = Files.writeString(Files.createDirectories(home.resolve("elsewhere")).resolve("keep.txt"), "keep");
        Path old = attempt(4, "0-1", later.minus(Duration.ofDays(9)));
        Files.createSymbolicLink(old.resolve("link"), outside.getParent());
        Files.setLastModifiedTime(old, FileTime.from(later.minus(Duration.ofDays(9))));

        new TrialFolderSweeper(home, RETENTION, id -> false, Clock.fixed(later, ZoneOffset.UTC)).sweep();

        assertThat(old).doesNotExist();
        assertThat(outside).exists().hasContent("keep");
    }

    @Test
    void aHomeWithoutExperimentsIsNothingToSweep() {
        assertThat(new TrialFolderSweeper(home, RETENTION, id -> false, Clock.fixed(NOW, ZoneOffset.UTC)).sweep()).isZero();
    }
}
