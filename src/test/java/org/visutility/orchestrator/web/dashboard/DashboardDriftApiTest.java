package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Distributions;
import org.visutility.orchestrator.support.MetricHistory;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;
import org.visutility.orchestrator.support.PolicyFiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * GET /api/v1/models/{name}/drift: a model whose radius drifted (PSI 0.913 against its reference)
 * while its site did not, a drift policy that fired on it before any label, and the realised
 * accuracy that later confirmed the decision, read back as the model page draws them.
 */
@ExtendWith(PolicyBedExtension.class)
class DashboardDriftApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant WINDOW_END = T0.plus(Duration.ofMinutes(30));
    private static final double[] EDGES = {0, 1, 2, 3, 4};
    private static final double[] SCORE_EDGES = {0, 0.5, 1};

    /** References, one production window, the policy fired at T0+45m and reconciled at T0+50m with realised accuracy 0.8. */
    static void world(PolicyBed bed) {
        MetricHistory scanner = MetricHistory.in(bed.jdbi()).model("scanner");
        Distributions d = Distributions.of(bed.jdbi(), scanner);
        d.numericReference("radius", EDGES, 100, 200, 300, 400);
        d.categoricalReference("site", List.of("a", "b"), 500, 500);
        d.numericReference("prediction", SCORE_EDGES, 600, 400);
        d.calibration(SCORE_EDGES, new double[]{0.2, 0.8}, new double[]{0.2, 0.8}, new long[]{600, 400}, 0.5);
        d.numeric(WINDOW_END, "radius", EDGES, 400, 300, 200, 100);
        d.categorical(WINDOW_END, "site", List.of("a", "b", "c"), 490, 500, 10);
        d.numeric(WINDOW_END, "prediction", SCORE_EDGES, 700, 300);
        bed.apply("""
                policies:
                  - name: scanner-drift
                    model: scanner
                    when: {drift: {features: [radius, site], method: psi, above: 0.2, window: 1h, min_samples: 500,
                                   reconcile: {metric: accuracy, below: 0.9}}}
                    experiment: EXPERIMENT
                """.replace("EXPERIMENT", PolicyFiles.inlineExperiment("scanner")));
        bed.evaluateAt(T0.plus(Duration.ofMinutes(45)));
        labelsLand(bed, scanner, WINDOW_END, T0.plus(Duration.ofMinutes(48)), 0.8);
        bed.evaluateAt(T0.plus(Duration.ofMinutes(50)));
    }

    /** The window's realised accuracy, recorded when its labels landed (after the decision), as ingest records it. */
    private static void labelsLand(PolicyBed bed, MetricHistory model, Instant window, Instant landed, double accuracy) {
        long modelId = model.modelId();
        long versionId = model.versionId();
        bed.jdbi().useTransaction(h -> {
            h.createQuery("SELECT orchestrator.ensure_snapshot_partition(:t)").bind("t", window.atOffset(ZoneOffset.UTC)).mapTo(String.class).one();
            long id = h.createQuery("""
                    INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, sample_count, metrics, ingested_at, settled_at)
                    VALUES (:m, :v, :t, 1000, jsonb_build_object('accuracy', :a), :landed, :landed) RETURNING id""")
                    .bind("m", modelId).bind("v", versionId).bind("t", window.atOffset(ZoneOffset.UTC)).bind("a", accuracy)
                    .bind("landed", landed.atOffset(ZoneOffset.UTC)).mapTo(Long.class).one();
            h.createUpdate("""
                    INSERT INTO orchestrator.metric_value (snapshot_id, observed_at, model_id, model_version_id, metric, value, sample_count,
                                                           recorded_at, settled_at)
                    VALUES (:id, :t, :m, :v, 'accuracy', :a, 1000, :landed, :landed)""")
                    .bind("id", id).bind("t", window.atOffset(ZoneOffset.UTC)).bind("m", modelId).bind("v", versionId).bind("a", accuracy)
                    .bind("landed", landed.atOffset(ZoneOffset.UTC)).execute();
        });
    }

    @Test
    void theDriftingFeatureComesFirstWithItsReferenceAndCurrentHistogramOnTheSameBucketsAndTheDecisionIsConfirmed(PolicyBed bed) {
        world(bed);
        try (Node node = Node.start(bed.db.config(), List.of(new DashboardModule()))) {
            JsonNode drift = json(node, "/api/v1/models/scanner/drift");

            assertThat(drift.path("method").asText()).as("the policy's method").isEqualTo("psi");
            assertThat(drift.path("metric").asText()).isEqualTo("accuracy");
            assertThat(drift.path("watches")).singleElement().satisfies(w -> {
                assertThat(w.path("policy").asText()).isEqualTo("scanner-drift");
                assertThat(w.path("direction").asText()).isEqualTo("above");
                assertThat(w.path("line").asDouble()).isEqualTo(0.2);
            });
            assertThat(texts(drift.path("features"), "feature")).as("the watched features, drifting first").containsExactly("radius", "site");
            assertThat(drift.path("features_truncated").asBoolean()).isFalse();

            JsonNode radius = drift.path("features").get(0);
            assertThat(radius.path("kind").asText()).isEqualTo("numeric");
            assertThat(radius.path("version").asText()).isEqualTo("v1");
            assertThat(numbers(radius.path("edges"))).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
            assertThat(numbers(radius.path("reference").path("counts"))).containsExactly(100.0, 200.0, 300.0, 400.0);
            assertThat(radius.path("reference").path("origin").asText()).isEqualTo("file");
            assertThat(radius.path("current").path("observed_at").asText()).isEqualTo(WINDOW_END.toString());
            assertThat(radius.path("current").path("comparable").asBoolean()).isTrue();
            assertThat(numbers(radius.path("current").path("counts"))).containsExactly(400.0, 300.0, 200.0, 100.0);
            // PSI of (.4,.3,.2,.1) against (.1,.2,.3,.4): 2 (.3 ln 4 + .1 ln 1.5)
            assertThat(radius.path("scores").path("psi").asDouble()).isCloseTo(0.9128696, within(1e-6));
            assertThat(radius.path("drifting").asBoolean()).isTrue();
            assertThat(radius.path("evidence").path("policy").asText()).isEqualTo("scanner-drift");

            JsonNode site = drift.path("features").get(1);
            assertThat(site.path("kind").asText()).isEqualTo("categorical");
            assertThat(texts(site.path("categories"))).containsExactly("a", "b", DriftReader.OUTSIDE);
            assertThat(numbers(site.path("reference").path("counts"))).containsExactly(500.0, 500.0, 0.0);
            assertThat(numbers(site.path("current").path("counts"))).as("c is outside the reference").containsExactly(490.0, 500.0, 10.0);
            assertThat(site.path("drifting").asBoolean()).isFalse();

            assertThat(texts(drift.path("scores"), "name")).containsExactly("radius", "site");
            JsonNode radiusPoint = drift.path("scores").get(0).path("points").get(0);
            assertThat(radiusPoint.get(0).asText()).isEqualTo(WINDOW_END.toString());
            assertThat(radiusPoint.get(1).asDouble()).isCloseTo(0.9128696, within(1e-6));
            assertThat(radiusPoint.get(2).asLong()).isEqualTo(1000);

            // CBPE: 700 scores below 0.5 right with probability 0.8, 300 above right with 0.8
            JsonNode estimated = drift.path("performance").path("estimated");
            assertThat(estimated).hasSize(1);
            assertThat(estimated.get(0).get(1).asDouble()).isCloseTo(0.8, within(1e-9));
            JsonNode realised = drift.path("performance").path("realised");
            assertThat(realised).hasSize(1);
            assertThat(realised.get(0).get(0).asText()).isEqualTo(WINDOW_END.toString());
            assertThat(realised.get(0).get(1).asDouble()).isCloseTo(0.8, within(1e-9));

            assertThat(drift.path("reconciliations")).singleElement().satisfies(r -> {
                assertThat(r.path("policy").asText()).isEqualTo("scanner-drift");
                assertThat(r.path("evaluated_at").asText()).isEqualTo(T0.plus(Duration.ofMinutes(45)).toString());
                assertThat(r.path("verdict").asText()).isEqualTo("confirmed");
                assertThat(r.path("realised_value").asDouble()).isCloseTo(0.8, within(1e-9));
            });

            JsonNode js = json(node, "/api/v1/models/scanner/drift?method=jensen_shannon&features=1&points=1");
            assertThat(js.path("method").asText()).isEqualTo("jensen_shannon");
            assertThat(texts(js.path("features"), "feature")).containsExactly("radius");
            assertThat(js.path("features_truncated").asBoolean()).isTrue();
            assertThat(js.path("scores").get(0).path("points").get(0).get(1).asDouble())
                    .isCloseTo(radius.path("scores").path("jensen_shannon").asDouble(), within(1e-12));

            JsonNode before = json(node, "/api/v1/models/scanner/drift?to=" + T0.plus(Duration.ofMinutes(10)));
            assertThat(before.path("features").get(0).path("current").isNull()).as("no production before the window").isTrue();
            assertThat(before.path("features").get(0).path("reference").path("counts")).hasSize(4);
            assertThat(before.path("performance").path("estimated")).isEmpty();
            assertThat(before.path("reconciliations")).isEmpty();
        }
    }

    @Test
    void badParametersAre400NamingTheRuleAndAnUnknownModelIs404(PolicyBed bed) {
        MetricHistory.in(bed.jdbi()).model("scanner").modelId();
        try (Node node = Node.start(bed.db.config(), List.of(new DashboardModule()))) {
            assertError(node, "/api/v1/models/scanner/drift?method=kl", 400,
                    "method must be one of chi_square, jensen_shannon, psi, wasserstein, got 'kl'");
            assertError(node, "/api/v1/models/scanner/drift?metric=f1", 400, "metric must be one of accuracy, precision, recall, got 'f1'");
            assertError(node, "/api/v1/models/scanner/drift?points=0", 400, "points must be an integer from 1 to 5000, got '0'");
            assertError(node, "/api/v1/models/scanner/drift?features=201", 400, "features must be an integer from 1 to 200, got '201'");
            assertError(node, "/api/v1/models/scanner/drift?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", 400, "from must be before to");
            assertError(node, "/api/v1/models/scanner/drift?from=yesterday", 400, "from must be an ISO-8601 instant");
            assertError(node, "/api/v1/models/scanner/drift?method=psi%00", 400, "method must not contain control characters");
            assertError(node, "/api/v1/models/nope/drift", 404, "no model named 'nope'");

            JsonNode empty = json(node, "/api/v1/models/scanner/drift");
            assertThat(empty.path("features")).as("no reference, no policy").isEmpty();
            assertThat(empty.path("watches")).isEmpty();
            assertThat(empty.path("method").asText()).isEqualTo("psi");
            assertThat(empty.path("performance").path("realised")).isEmpty();
        }
    }

    private static HttpResponse<String> get(Node node, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(Node node, String path) {
        HttpResponse<String> r = get(node, path);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertError(Node node, String path, int status, String message) {
        HttpResponse<String> r = get(node, path);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(status);
        try {
            JsonNode body = Json.MAPPER.readTree(r.body());
            assertThat(body.path("status").asInt()).isEqualTo(status);
            assertThat(body.path("error").asText()).startsWith(message);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Double> numbers(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asDouble()));
        return out;
    }
}
