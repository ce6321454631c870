package org.visutility.orchestrator.app;

import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.core.Version;
import org.visutility.orchestrator.core.ConfigOption;
import org.visutility.orchestrator.core.ExitCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.OrchestratorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", description = "Run a service node: migrate, then start the clustered scheduler and the HTTP server until stopped (Ctrl-C, SIGTERM).")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        OrchestratorConfig cfg = config.load();
        Node node = Node.start(cfg, Modules.all());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "orchestrator-shutdown"));
        LOG.info("Orchestrator {} serving on port {}; health at http://localhost:{}/health", Version.current(),
                node.httpPort(), node.httpPort());
        stopped.await();
        return ExitCode.OK;
    }
}
