package org.visutility.orchestrator.app.demo;

import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.app.Modules;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.OrchestratorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "demo", description = {
        "The whole loop in one command, on the embedded PostgreSQL.",
        "It trains model v1, simulates drifting production windows, sends their snapshots through the HTTP ingest, lets the",
        "policy fire, tunes with TPE, lets the gate judge v2 against v1, receives the signed promotion webhook, serves v2,",
        "and shows whether the retrain helped (lineage.retrain_outcome)."})
public final class DemoCommand implements Callable<Integer> {
    /** The demo's short intervals, so that the loop closes in seconds (the environment still wins). */
    static final Map<String, String> PRESETS = Map.of(
            "ORCHESTRATOR_POLICY_INTERVAL", "1s",
            "ORCHESTRATOR_DISPATCH_INTERVAL", "1s");

    @Mixin
    ConfigOption config;

    @Option(names = "--keep-serving", description = "keep the node (and its dashboard) running after the demo, until Ctrl-C")
    boolean keepServing;

    @Override
    public Integer call() throws Exception {
        // the demo's serving stack: it receives the promotion webhook, so the node is told where to send it
        try (PromotionReceiver receiver = PromotionReceiver.start()) {
            return run(receiver);
        }
    }

    private Integer run(PromotionReceiver receiver) throws Exception {
        Map<String, String> presets = new HashMap<>(PRESETS);
        presets.put("ORCHESTRATOR_PROMOTION_WEBHOOK_URL", receiver.url().toString());
        presets.put("ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET", receiver.secret());
        OrchestratorConfig cfg = config.load(presets);
        if (cfg.httpPort() != 0 && !portFree(cfg.httpHost(), cfg.httpPort())) {
            System.out.printf("Port %d is taken; the demo's node listens on a free port instead.%n", cfg.httpPort());
            cfg = cfg.withHttpPort(0);
        }
        System.out.println("Starting a node on " + (cfg.embeddedDatabase() ? "the embedded PostgreSQL (data in "
                + cfg.home().resolve("postgres") + ")" : "the configured database") + "...");
        Node node = Node.start(cfg, Modules.all());
        boolean ok;
        try {
            ok = new DemoRun(node, cfg, receiver, System.out).run();
        } catch (Exception e) {
            node.close();
            throw e;
        }
        if (keepServing) {
            System.out.printf("%nServing the dashboard at http://localhost:%d/ until Ctrl-C.%n", node.httpPort());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                stopped.countDown();
            }, "orchestrator-shutdown"));
            stopped.await();
        } else {
            node.close();
        }
        return ok ? ExitCode.OK : ExitCode.FAILED;
    }

    private static boolean portFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
