package org.visutility.orchestrator.tuning.trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a trainer's processes in Linux's /proc, including those that left its process tree: a
 * process whose parent died is re-parented away from the trainer, and one that called setsid left
 * its process group and session too. What it cannot leave without effort is its environment, which
 * carries the attempt's {@code ORCH_TRIAL_TOKEN}. Elsewhere (no /proc) it finds nothing.
 */
final class ProcessScan {
    private static final Path PROC = Path.of("/proc");

    private ProcessScan() {
    }

    /**
     * The pids of the processes in session or process group {@code leader}, or whose environment
     * holds {@code marker} (a {@code NAME=value} entry); this JVM is never among them.
     */
    static List<Long> members(long leader, String marker) {
        List<Long> found = new ArrayList<>();
        if (!Files.isDirectory(PROC)) return found;
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path dir : dirs) {
                long pid = pid(dir.getFileName().toString());
                if (pid <= 0 || pid == self) continue;
                if (inSessionOrGroup(dir, leader) || hasEntry(dir, marker)) found.add(pid);
            }
        } catch (IOException e) {
            // /proc unreadable: nothing found beyond what the process tree shows
        }
        return found;
    }

    private static long pid(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) return -1;
        }
        return name.isEmpty() || name.length() > 18 ? -1 : Long.parseLong(name);
    }

    /** /proc/PID/stat: "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses. */
    private static boolean inSessionOrGroup(Path dir, long leader) {
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(after[2]) == leader || Long.parseLong(after[3]) == leader;
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile, or not ours to read
        }
    }

    /** Whether the NUL-separated /proc/PID/environ holds {@code marker} as one entry (the marker is ASCII). */
    private static boolean hasEntry(Path dir, String marker) {
        try {
            String environ = new String(Files.readAllBytes(dir.resolve("environ")), StandardCharsets.ISO_8859_1);
            for (String entry : environ.split("\0")) {
                if (entry.equals(marker)) return true;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile, or another user's
        }
    }
}
