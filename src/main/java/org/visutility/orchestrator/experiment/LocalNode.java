package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.node.CommandNodeModules;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.Database;

import java.io.PrintStream;

/**
 * This process as a node, started by a command that waits for an experiment when nobody else can
 * run it: always on the embedded database (one process owns it), and on a shared one when no node
 * of the cluster has checked in lately (looked at again at every poll, so a cluster that dies
 * meanwhile is noticed). Used by experiments submit --wait and ops restart / ops recover.
 */
public final class LocalNode implements AutoCloseable {
    private final OrchestratorConfig config;
    private final Database db;
    private Node node;

    public LocalNode(OrchestratorConfig config, Database db) {
        this.config = config;
        this.db = db;
    }

    /** Whether a node of the cluster (other than this process) is alive to run queued work. */
    public static boolean clusterAlive(OrchestratorConfig config, Database db) {
        return !config.embeddedDatabase() && ClusterMembers.alive(db.jdbi()) > 0;
    }

    /** Starts the node here unless it runs already or another node of the cluster is alive. */
    public void startIfNobodyRuns(PrintStream progress) {
        if (node != null || clusterAlive(config, db)) return;
        progress.println("no node is running; running the experiment in this process");
        // the node shares this process's database; closing the node must not close it twice
        // every cluster-wide job, not only experiments: this node acquires whichever trigger falls due
        node = Node.start(config.withHttpPort(0), db, CommandNodeModules.get());
        Node started = node;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-node-shutdown"));
    }

    @Override
    public void close() {
        if (node != null) node.close();
    }
}
