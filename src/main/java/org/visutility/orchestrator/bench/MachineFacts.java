package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.SqlFiles;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a figure was measured on, printed with every bench's figures: the cores and JVM, and for a
 * bench on the database, the server's durability settings and what one durable one-row commit
 * costs on it, measured in the same run (the floor every write path's figure is compared with).
 */
public record MachineFacts(int cores, String jvm, String os, Optional<Database> database) {
    /** The database side: its version, fsync, synchronous_commit and shared_buffers, and the measured commit cost. */
    public record Database(String serverVersion, String fsync, String synchronousCommit, String sharedBuffers, Repetitions commitMs) {
    }

    private static final String SETTINGS = SqlFiles.load(MachineFacts.class, "CommitSettings");
    private static final String CREATE_FLOOR = SqlFiles.load(MachineFacts.class, "CreateCommitFloor");
    private static final String FLOOR_COMMIT = SqlFiles.load(MachineFacts.class, "FloorCommit");
    /** Commits timed per measurement of the commit cost. */
    static final int FLOOR_COMMITS = 200;

    /** The machine alone (a bench without a database). */
    public static MachineFacts local() {
        return new MachineFacts(Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), Optional.empty());
    }

    /** The machine and the database, with a commit cost already measured. */
    public static MachineFacts with(Jdbi jdbi, Repetitions commitMs) {
        Map<String, Object> s = jdbi.withHandle(h -> h.createQuery(SETTINGS).mapToMap().one());
        MachineFacts m = local();
        return new MachineFacts(m.cores, m.jvm, m.os, Optional.of(new Database(String.valueOf(s.get("server_version")),
                String.valueOf(s.get("fsync")), String.valueOf(s.get("synchronous_commit")), String.valueOf(s.get("shared_buffers")), commitMs)));
    }

    /**
     * The machine and a scratch database, its commit cost measured now: a warm-up and
     * {@code repetitions} times {@link #FLOOR_COMMITS} commits of one row of a table of its own.
     * Only for a throw-away database (it creates that table).
     */
    static MachineFacts measuredOnScratch(Jdbi scratch, int repetitions) {
        scratch.useHandle(h -> h.createScript(CREATE_FLOOR).execute());
        return with(scratch, Repetitions.measure("ms", repetitions, () -> commitMs(scratch, FLOOR_COMMIT, Map.of())));
    }

    /** Milliseconds per commit of {@link #FLOOR_COMMITS} transactions that each run {@code sql} once. */
    static double commitMs(Jdbi jdbi, String sql, Map<String, Object> binds) {
        return jdbi.withHandle(h -> {
            long start = System.nanoTime();
            for (int i = 0; i < FLOOR_COMMITS; i++) h.useTransaction(tx -> tx.createUpdate(sql).bindMap(binds).execute());
            return (System.nanoTime() - start) / 1e6 / FLOOR_COMMITS;
        });
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode().put("cores", cores).put("jvm", jvm).put("os", os);
        database.ifPresent(d -> {
            n.put("postgresql", d.serverVersion()).put("fsync", d.fsync()).put("synchronous_commit", d.synchronousCommit())
                    .put("shared_buffers", d.sharedBuffers());
            n.set("durable_commit_ms", d.commitMs().toJson());
        });
        return n;
    }

    /** One line: "machine: 2 cores, OpenJDK 64-Bit Server VM 17.0.9, Linux amd64; PostgreSQL 16.4 (fsync=on, ...)". */
    public String text() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "machine: %d cores, %s, %s", cores, jvm, os));
        database.ifPresent(d -> s.append(String.format(Locale.ROOT,
                "; PostgreSQL %s (fsync=%s, synchronous_commit=%s, shared_buffers=%s); one durable one-row commit: %s",
                d.serverVersion(), d.fsync(), d.synchronousCommit(), d.sharedBuffers(), d.commitMs().text())));
        return s.append('\n').toString();
    }
}
