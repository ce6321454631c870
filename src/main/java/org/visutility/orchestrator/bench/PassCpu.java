package org.visutility.orchestrator.bench;

import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time spent by this JVM and by the PostgreSQL server's processes, read before and after a
 * measured step: on a machine shared with other work, wall time includes waiting for a core, CPU
 * time does not. The server's CPU is read from /proc (the postmaster and its children, found from
 * a backend's parent), so it is known only for a server on this machine under Linux; else null.
 */
final class PassCpu {
    /** Linux's USER_HZ: /proc's clock ticks per second. */
    private static final double TICKS_PER_SECOND = 100;
    private final Long postmaster;

    private PassCpu(Long postmaster) {
        this.postmaster = postmaster;
    }

    record Sample(long jvmNanos, Double serverTicks) {
    }

    /** Milliseconds of CPU between two samples. */
    record Spent(double jvmMs, Double serverMs) {
    }

    static PassCpu of(Jdbi jdbi) {
        long backend = jdbi.withHandle(h -> h.createQuery("SELECT pg_backend_pid()").mapTo(Long.class).one());
        Long parent = statField(backend, 4);  // the postmaster, when the backend is a process of this machine
        return new PassCpu(parent);
    }

    Sample sample() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        return new Sample(jvm, serverTicks());
    }

    static Spent between(Sample before, Sample after) {
        Double server = before.serverTicks() == null || after.serverTicks() == null ? null
                : (after.serverTicks() - before.serverTicks()) * 1000 / TICKS_PER_SECOND;
        return new Spent((after.jvmNanos() - before.jvmNanos()) / 1e6, server);
    }

    /** User and system ticks of the postmaster and its children (backends, checkpointer, ...); null when not readable. */
    private Double serverTicks() {
        if (postmaster == null) return null;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            double ticks = 0;
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                long pid = Long.parseLong(name);
                Long parent = statField(pid, 4);
                if (pid != postmaster && !postmaster.equals(parent)) continue;
                Long user = statField(pid, 14);
                Long system = statField(pid, 15);
                if (user != null && system != null) ticks += user + system;
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Field n (1-based, as proc(5) numbers them) of /proc/pid/stat; null when the process is gone or not visible. */
    private static Long statField(long pid, int n) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its closing one
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(rest[n - 3]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
