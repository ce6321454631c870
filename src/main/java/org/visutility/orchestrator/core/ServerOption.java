package org.visutility.orchestrator.core;

import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.config.Setting;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * {@code --server URL}: send the command's request to a serving node's control API instead of
 * opening the database, with the bearer token of {@code ORCHESTRATOR_TOKEN}; by default the URL of
 * {@code ORCHESTRATOR_SERVER}. So a laptop needs a token, not database credentials.
 */
public final class ServerOption {
    @Option(names = "--server", paramLabel = "URL",
            description = "send the request to this serving node (http://host:8080) instead of opening the database;"
                    + " default: ORCHESTRATOR_SERVER; the bearer token comes from ORCHESTRATOR_TOKEN")
    String server;

    /** The client of the node to send to, or empty when the command works on the database. */
    public Optional<ControlClient> client(OrchestratorConfig config) {
        Optional<URI> url = server == null ? config.server() : Optional.of(parse(server));
        return url.map(u -> new ControlClient(u, config.token()));
    }

    private static URI parse(String value) {
        try {
            URI uri = new URI(value.trim());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UsageException("--server '" + value + "' is not an http or https URL (like " + Setting.SERVER.env() + ")");
    }
}
