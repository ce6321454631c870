package org.visutility.orchestrator.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the experiments' OpenLineage run events go: an HTTP endpoint, a file of JSON lines, both
 * or neither (the default: no export).
 *
 * @param url       the endpoint (a URL without a path posts to /api/v1/lineage)
 * @param file      the file the events are appended to, one JSON object a line
 * @param namespace the namespace of the jobs (one per model) and the model datasets
 * @param timeout   connect and response timeout of one HTTP send
 * @param apiKey    bearer token for the endpoint
 */
public record OpenLineageSettings(Optional<URI> url, Optional<Path> file, String namespace, Duration timeout,
                                  Optional<String> apiKey) {
    public boolean enabled() {
        return url.isPresent() || file.isPresent();
    }
}
