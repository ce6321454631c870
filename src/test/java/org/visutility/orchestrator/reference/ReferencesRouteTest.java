package org.visutility.orchestrator.reference;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.collect.CollectModule;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/models/{model}/versions/{version}/references: an operator sets a reference over HTTP as references set FILE does. */
@ExtendWith(PostgresExtension.class)
class ReferencesRouteTest {
    private static final String OPERATOR = "op-token-bbbbbbbbbbbbbbbb";

    private static HttpResponse<String> post(int port, String path, String token, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) r.header("Authorization", "Bearer " + token);
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOperatorSetsAReferenceAndABrokenOneIsRefusedWholeNamingTheRule(TestDatabase db) throws Exception {
        try (Node node = Node.start(db.config(Map.of("ORCHESTRATOR_OPERATOR_TOKENS", "bob:" + OPERATOR)),
                List.of(new CollectModule(), new ReferenceModule()))) {
            new SnapshotApi(node.httpPort(), "/api/v1/distributions").postJson("""
                    {"distributions": [{"model": "route-ref", "version": "v1", "observed_at": "2026-11-30T10:00:00Z",
                      "feature": "age", "kind": "numeric", "bins": [0, 1], "counts": [1]}]}""");
            String path = "/api/v1/models/route-ref/versions/v1/references";
            String good = "{\"features\": [{\"feature\": \"age\", \"kind\": \"numeric\", \"bins\": [0, 50, 100], \"counts\": [3, 4]}]}";

            assertThat(post(node.httpPort(), path, null, good).statusCode()).isIn(401, 403);
            HttpResponse<String> bad = post(node.httpPort(), path, OPERATOR, good.replace("[3, 4]", "[3, -4]"));
            HttpResponse<String> ok = post(node.httpPort(), path, OPERATOR, good);
            HttpResponse<String> unknown = post(node.httpPort(), "/api/v1/models/route-ref/versions/v9/references", OPERATOR, good);

            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("features[0].counts[1] must be a non-negative whole number");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            JsonNode answer = Json.MAPPER.readTree(ok.body());
            assertThat(answer.path("features").get(0).path("counts").toString()).isEqualTo("[3,4]");
            assertThat(unknown.statusCode()).isEqualTo(404);
            Map<String, Object> row = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT r.counts::text AS counts, r.origin, r.set_by, count(*) OVER () AS rows FROM orchestrator.reference_distribution r
                      JOIN orchestrator.model_version v ON v.id = r.model_version_id JOIN orchestrator.model m ON m.id = v.model_id
                     WHERE m.name = 'route-ref'""").mapToMap().one());
            assertThat(row).containsEntry("counts", "{3,4}").containsEntry("origin", "file").containsEntry("set_by", "operator:bob")
                    .containsEntry("rows", 1L);
        }
    }
}
