package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Case 10 of issue 13: {@code GET /api/v1/experiments?model=%00} answered 500 (PostgreSQL text
 * cannot hold NUL). Every parameter of every read API route, path or query, answers 400 naming
 * the parameter when its value is not one the database can take.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiRefusesInvalidParametersTest {
    private SeededDashboard dashboard;

    @BeforeAll
    void start(TestDatabase db) throws Exception {
        dashboard = SeededDashboard.start(db);
    }

    @AfterAll
    void stop() {
        if (dashboard != null) dashboard.close();
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = ' ', value = {
            "/api/v1/experiments?model=%00 model",
            "/api/v1/experiments?model=churn%00 model",
            "/api/v1/experiments?model=ch%01urn model",
            "/api/v1/experiments?model=%FF%FE model",
            "/api/v1/experiments?status=%00 status",
            "/api/v1/experiments?limit=%00 limit",
            "/api/v1/experiments/1%01 id",
            "/api/v1/experiments/1?trials=%00 trials",
            "/api/v1/models?limit=%00 limit",
            "/api/v1/models/ch%01urn name",
            "/api/v1/models/ch%01urn/timelines name",
            "/api/v1/models/churn/timelines?metric=%00 metric",
            "/api/v1/models/churn/timelines?metric=accuracy%00 metric",
            "/api/v1/models/churn/timelines?from=%00 from",
            "/api/v1/models/churn/timelines?to=2026-11-20T00:00:00Z%00 to",
            "/api/v1/models/churn/timelines?from=%2B999999999-12-31T23:59:59Z from",
            "/api/v1/models/churn/timelines?to=-999999999-01-01T00:00:00Z to",
            "/api/v1/models/churn/timelines?points=%00 points",
            "/api/v1/models/ch%01urn/versions/events name",
            "/api/v1/models/churn/versions/events?from=%00 from",
            "/api/v1/models/churn/versions/events?to=%2B999999999-12-31T23:59:59Z to",
            "/api/v1/models/churn/versions/events?limit=%00 limit",
            "/api/v1/failed-runs?limit=%00 limit",
            "/api/v1/models/ch%01urn/drift name",
            "/api/v1/models/churn/drift?method=%00 method",
            "/api/v1/models/churn/drift?metric=accuracy%00 metric",
            "/api/v1/models/churn/drift?from=%00 from",
            "/api/v1/models/churn/drift?to=%2B999999999-12-31T23:59:59Z to",
            "/api/v1/models/churn/drift?points=%00 points",
            "/api/v1/models/churn/drift?features=%00 features",
    })
    void aParameterTheDatabaseCannotTakeIsA400NamingIt(String path, String parameter) throws Exception {
        HttpResponse<String> r = dashboard.get(path);

        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(400);
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.path("status").asInt()).isEqualTo(400);
        assertThat(body.path("error").asText()).startsWith(parameter + " must").doesNotContain("\0");
    }

    /** Jetty's own parser refuses an encoded NUL in the path before any route runs: a 400 all the same, never a 500. */
    @ParameterizedTest(name = "{0} -> 400")
    @ValueSource(strings = {"/api/v1/experiments/%00", "/api/v1/models/%00", "/api/v1/models/churn%00", "/api/v1/models/%00/timelines"})
    void aNulInThePathIsRefusedByTheServerWith400(String path) {
        HttpResponse<String> r = dashboard.get(path);

        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(400);
    }
}
