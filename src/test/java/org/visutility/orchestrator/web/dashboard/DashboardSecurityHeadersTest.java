package org.visutility.orchestrator.web.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Case 9 of issue 13 (stored XSS, no Content-Security-Policy): every answer of the dashboard,
 * pages, scripts, styles and the JSON API, errors included, carries a strict policy and
 * nosniff; and the pages hold nothing inline that such a policy would refuse.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardSecurityHeadersTest {
    private static final List<String> PAGES = List.of("/", "/index.html", "/model.html", "/experiments.html", "/experiment.html", "/compare.html", "/failed.html");
    private static final Pattern INLINE = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>|<style|\\sstyle=|\\son[a-z]+=|javascript:",
            Pattern.CASE_INSENSITIVE);

    private SeededDashboard dashboard;

    @BeforeAll
    void start(TestDatabase db) throws Exception {
        dashboard = SeededDashboard.start(db);
    }

    @AfterAll
    void stop() {
        if (dashboard != null) dashboard.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/model.html?name=churn", "/experiment.html?id=1", "/experiments.html", "/failed.html",
            "/js/charts.js", "/js/ui.js", "/css/dashboard.css", "/webjars/echarts/5.3.1/dist/echarts.min.js",
            "/api/v1/overview", "/api/v1/experiments/1", "/api/v1/models/nope", "/api/v1/experiments?model=%01", "/no-such-page"})
    void everyAnswerCarriesAStrictContentSecurityPolicyAndNosniff(String path) {
        HttpResponse<String> r = dashboard.get(path);

        String policy = r.headers().firstValue("Content-Security-Policy").orElse("");
        List<String> directives = Arrays.stream(policy.split(";")).map(String::trim).toList();
        assertThat(directives).as(path + " Content-Security-Policy").contains("default-src 'self'", "script-src 'self'",
                "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'");
        assertThat(policy).as("nothing inline, no eval").doesNotContain("unsafe-inline", "unsafe-eval", "*", "data:");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
    }

    @Test
    void noPageHoldsAnInlineScriptStyleOrHandlerThePolicyWouldRefuse() {
        for (String page : PAGES) {
            HttpResponse<String> r = dashboard.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(INLINE.matcher(r.body()).find()).as(page + " has something inline:\n" + r.body()).isFalse();
        }
    }
}
