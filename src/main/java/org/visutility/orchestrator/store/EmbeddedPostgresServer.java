package org.visutility.orchestrator.store;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The zero-setup default: a PostgreSQL server run from the binaries that Maven Central ships
 * (io.zonky.test.postgres), with its data kept in a folder across restarts.
 *
 * <p>Why not zonky's EmbeddedPostgres class itself: it runs initdb and postgres as the current
 * user, and PostgreSQL refuses to run as root, which is how CI and containers run us. When we
 * are root, the server runs as the unprivileged user 65534 (nobody) through {@code setpriv},
 * keeping the DAC capabilities so that the data folder may sit under a folder only root reads.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String BINARIES_RESOURCE = "postgres-linux-x86_64.txz";
    private static final int UNPRIVILEGED_UID = 65534;
    private static final String SUPERUSER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    /** shared_buffers of a server started without a size: PostgreSQL's own default (tests, a restart in a test). */
    public static final int DEFAULT_SHARED_BUFFERS_MB = 128;

    private final Path binaries;
    private final Path dataDirectory;
    private final int port;
    private final int sharedBuffersMb;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile boolean stopped;

    private EmbeddedPostgresServer(Path binaries, Path dataDirectory, int port, int sharedBuffersMb, FileChannel lockChannel,
                                   FileLock lock) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.sharedBuffersMb = sharedBuffersMb;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Starts a server on the data folder {@code dataDirectory}, creating the cluster when the
     * folder is new. Only one process may own a data folder; a server orphaned by a killed
     * process is stopped and started again.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, port, DEFAULT_SHARED_BUFFERS_MB);
    }

    /**
     * As {@link #start(Path, int)}, with {@code sharedBuffersMb} megabytes of shared_buffers (the
     * page cache of the server's own: what does not fit it is read from the operating system again).
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, int sharedBuffersMb) {
        if (sharedBuffersMb < 1) throw new IllegalArgumentException("shared_buffers must be at least 1 MB, not " + sharedBuffersMb);
        try {
            Path data = dataDirectory.toAbsolutePath().normalize();
            Files.createDirectories(data.getParent());
            Path lockFile = data.getParent().resolve(data.getFileName() + ".lock");
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                channel.close();
                throw new DatabaseUnavailableException("the embedded PostgreSQL in " + data
                        + " is in use by another orchestrator process; stop it, use another ORCHESTRATOR_HOME,"
                        + " or set ORCHESTRATOR_DB_URL so that several nodes share one database");
            }
            Path bin = extractBinaries();
            int chosenPort = port == 0 ? freePort() : port;
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(bin, data, chosenPort, sharedBuffersMb, channel, lock);
            server.initIfNew();
            server.stopOrphan();
            server.startPostmaster();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    public String superuser() {
        return SUPERUSER;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    private void initIfNew() throws IOException {
        if (Files.exists(dataDirectory.resolve("PG_VERSION"))) return;
        Files.createDirectories(dataDirectory);
        if (runningAsRoot()) {
            // The server's user must own its data folder.
            Files.setAttribute(dataDirectory, "unix:uid", UNPRIVILEGED_UID);
            Files.setAttribute(dataDirectory, "unix:gid", UNPRIVILEGED_UID);
        }
        Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
        LOG.info("Creating the embedded PostgreSQL cluster in {}", dataDirectory);
        run(List.of(pgBin("initdb"), "-A", "trust", "-U", SUPERUSER, "-D", dataDirectory.toString(),
                "-E", "UTF-8", "--locale=C", "--no-sync"), "initdb");
    }

    private void stopOrphan() throws IOException {
        if (!Files.exists(dataDirectory.resolve("postmaster.pid"))) return;
        if (runQuietly(List.of(pgBin("pg_ctl"), "-D", dataDirectory.toString(), "status")) == 0) {
            LOG.warn("The embedded PostgreSQL in {} was left running by a process that ended; stopping it first", dataDirectory);
            runQuietly(List.of(pgBin("pg_ctl"), "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w", "-t", "30"));
        }
    }

    private void startPostmaster() throws IOException {
        String options = "-p " + port + " -c listen_addresses=localhost -c unix_socket_directories= -c max_connections=300"
                + " -c fsync=on -c shared_buffers=" + sharedBuffersMb + "MB";
        run(List.of(pgBin("pg_ctl"), "-D", dataDirectory.toString(), "-o", options, "-l",
                dataDirectory.resolve("server.log").toString(), "-w", "-t", "60", "start"), "pg_ctl start");
        LOG.info("Embedded PostgreSQL started on port {} with data in {} ({} MB of shared_buffers)", port, dataDirectory, sharedBuffersMb);
    }

    /** Stops the server (fast shutdown: running transactions are rolled back, data is kept). */
    @Override
    public synchronized void close() {
        if (stopped) return;
        stopped = true;
        try {
            run(List.of(pgBin("pg_ctl"), "-D", dataDirectory.toString(), "stop", "-m", "fast", "-w", "-t", "30"), "pg_ctl stop");
            LOG.info("Embedded PostgreSQL stopped");
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not stop the embedded PostgreSQL in {}: {}", dataDirectory, e.getMessage());
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }

    private String pgBin(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    private static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static List<String> asServerUser(List<String> command) {
        if (!runningAsRoot()) return command;
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + UNPRIVILEGED_UID, "--regid=" + UNPRIVILEGED_UID,
                "--clear-groups", "--inh-caps=+dac_override,+dac_read_search", "--ambient-caps=+dac_override,+dac_read_search"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command, String what) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(asServerUser(command)).redirectErrorStream(true);
        Process p = pb.start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + " did not finish in " + COMMAND_TIMEOUT_SECONDS + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + " failed (exit " + p.exitValue() + "): " + output.strip());
        }
        LOG.debug("{}: {}", what, output.strip());
    }

    private static int runQuietly(List<String> command) throws IOException {
        Process p = new ProcessBuilder(asServerUser(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Unpacks the binaries once per version into a folder that every user can read (the server
     * user must be able to reach its own executables), atomically so that parallel starts agree.
     */
    private static Path extractBinaries() throws IOException {
        String version = EmbeddedPostgresServer.class.getPackage().getImplementationVersion();
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        try (InputStream archive = EmbeddedPostgresServer.class.getClassLoader().getResourceAsStream(BINARIES_RESOURCE)) {
            if (archive == null) {
                throw new DatabaseUnavailableException("no embedded PostgreSQL binaries for this platform ("
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "); set ORCHESTRATOR_DB_URL");
            }
            byte[] bytes = archive.readAllBytes();
            String digest = Integer.toHexString(java.util.Arrays.hashCode(bytes)) + "-" + bytes.length;
            Path target = base.resolve("orchestrator-postgres-" + digest);
            if (Files.exists(target.resolve(".complete"))) return target;
            Path staging = Files.createTempDirectory(base, "orchestrator-postgres-staging-");
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(
                    new java.io.ByteArrayInputStream(bytes))))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path out = staging.resolve(entry.getName()).normalize();
                    if (!out.startsWith(staging)) throw new IOException("unsafe path in the binaries archive: " + entry.getName());
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(out.getParent());
                        Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        boolean executable = (entry.getMode() & 0100) != 0;
                        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createFile(staging.resolve(".complete"));
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException
                     | java.nio.file.DirectoryNotEmptyException e) {
                // another process won the race; its copy is as good as ours
                deleteTree(staging);
            }
            LOG.debug("PostgreSQL binaries {} in {}", version, target);
            return target;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
