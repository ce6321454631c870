package org.visutility.orchestrator.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The validated configuration of one node. Built only by {@link ConfigLoader}. */
public record OrchestratorConfig(
        Optional<String> dbUrl,
        Optional<String> dbUser,
        Optional<String> dbPassword,
        int dbPoolSize,
        Path home,
        String httpHost,
        int httpPort,
        ApiTokens apiTokens,
        Duration policyInterval,
        Duration heartbeatInterval,
        Duration rescueAfter,
        int schedulerThreads,
        Duration clusterCheckinInterval,
        IngestSettings ingest,
        Optional<URI> policyWebhookUrl,
        int maxRunningExperiments,
        int maxParallelTrials,
        Duration dispatchInterval,
        OpenLineageSettings openLineage,
        Duration rescueInterval,
        RescueAction rescueAction,
        int rescueMaxAttempts,
        Optional<String> policySqlPassword,
        PromotionSettings promotion,
        Optional<URI> server,
        Optional<String> token,
        Duration trialFolderRetention,
        int trialsPerNode,
        int embeddedSharedBuffersMb) {

    /** The secrets of the ingest tokens (POST /api/v1/snapshots). */
    public List<String> ingestTokens() {
        return apiTokens.of(ApiRole.INGEST).stream().map(ApiToken::secret).toList();
    }

    /** The ingest tokens with their names and what a changed value each posts does. */
    public List<ApiToken> ingestApiTokens() {
        return apiTokens.of(ApiRole.INGEST);
    }

    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    /** The same configuration on another HTTP port (tests and second nodes use 0). */
    public OrchestratorConfig withHttpPort(int port) {
        return new OrchestratorConfig(dbUrl, dbUser, dbPassword, dbPoolSize, home, httpHost, port, apiTokens,
                policyInterval, heartbeatInterval, rescueAfter, schedulerThreads, clusterCheckinInterval, ingest,
                policyWebhookUrl, maxRunningExperiments, maxParallelTrials, dispatchInterval, openLineage,
                rescueInterval, rescueAction, rescueMaxAttempts, policySqlPassword, promotion, server, token, trialFolderRetention, trialsPerNode,
                embeddedSharedBuffersMb);
    }

    /** The same configuration pointed at an existing database. */
    public OrchestratorConfig withDatabase(String url, String user, String password) {
        return new OrchestratorConfig(Optional.of(url), Optional.ofNullable(user), Optional.ofNullable(password), dbPoolSize,
                home, httpHost, httpPort, apiTokens, policyInterval, heartbeatInterval, rescueAfter, schedulerThreads,
                clusterCheckinInterval, ingest, policyWebhookUrl,
                maxRunningExperiments, maxParallelTrials, dispatchInterval, openLineage,
                rescueInterval, rescueAction, rescueMaxAttempts, policySqlPassword, promotion, server, token, trialFolderRetention, trialsPerNode,
                embeddedSharedBuffersMb);
    }
}
