package org.visutility.orchestrator.web.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Case 9 of issue 13: a categorical choice {@code <img src=x onerror=alert(1)>} was written as
 * HTML into the experiment page's chart tooltip and ran in headless Chromium. Here an experiment
 * whose choices, parameter names and errors are markup is shown in Debian's headless Chromium:
 * every tooltip shows them as text, nothing of them runs, and the Content-Security-Policy is in
 * force without refusing anything the pages themselves do. Skipped where Chromium and its driver
 * are not installed (CI installs them: .ci/run).
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardXssBrowserTest {
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    /** Markup that sets window.__xss if it ever runs, as a choice, a parameter name and an error. */
    private static final String CHOICE = "<img src=x onerror=window.__xss='choice'>";
    private static final String PARAMETER = "<svg onload=window.__xss='parameter'>";
    private static final String ERROR = "<img src=y onerror=window.__xss='error'>";
    /** Markup as the reason of a version's status changes (reasons are free text; labels and actors are not). */
    private static final String REASON = "<img src=r onerror=window.__xss='reason'>";
    /** Markup as a version's artifact_uri (a trainer's own text, escaped only for control characters). */
    private static final String ARTIFACT = "<img src=a onerror=window.__xss='artifact'>";
    /** Markup in the gate verdict and retrain outcome an experiment's API answer may carry. */
    private static final String GATE = "<svg onload=window.__xss='gate'>";
    /**
     * Runs before every page's own scripts: adds a `gate` and an `outcome` full of markup to the API's
     * answer for experiment 99 (the read API gives them once the gate and verification record them).
     */
    private static final String ADD_GATE = """
            const fetched = window.fetch.bind(window);
            window.fetch = async (path, init) => {
              const response = await fetched(path, init);
              if (String(path).split('?')[0] !== '/api/v1/experiments/99') return response;
              const body = await response.json();
              const markup = %s;
              body.gate = { verdict: 'rejected', reason: markup, metric: markup, direction: 'maximize', min_gain: 0.01,
                            candidate_version: markup, candidate_score: 0.8, active_version: markup, active_score: 0.9,
                            decided_at: '2026-11-20T12:00:00Z', evaluator: markup,
                            no_worse: { [markup]: { candidate: 0.5, active: 0.6, ok: false } } };
              body.outcome = { outcome: 'not_recovered', metric: markup, baseline: 0.8, observed: 0.7, threshold: 0.85,
                               sample_count: 1200, decided_at: '2026-11-21T00:00:00Z', reason: markup };
              return new Response(JSON.stringify(body), { status: response.status, headers: { 'Content-Type': 'application/json' } });
            };""".formatted("'" + GATE.replace("'", "\\'") + "'");
    /** Runs before every page's own scripts (Chromium's DevTools, not the page): records what the policy refused. */
    private static final String RECORD_VIOLATIONS = "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            + " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));";

    private SeededDashboard dashboard;
    private HeadlessBrowser headless;
    private ChromeDriver browser;

    @BeforeAll
    void start(TestDatabase db) throws Exception {
        Assumptions.assumeTrue(HeadlessBrowser.installed(),
                "headless Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        dashboard = SeededDashboard.start(db);
        db.jdbi().useHandle(h -> {
            h.createUpdate("""
                    INSERT INTO orchestrator.experiment (id, model_id, policy_id, trigger, spec, spec_sha256, status,
                                                         queued_at, started_at, finished_at, owner, attempt, error, orchestrator_version)
                    OVERRIDING SYSTEM VALUE
                    SELECT 99, 1, NULL, 'submit',
                           jsonb_build_object('model', 'churn', 'objective', jsonb_build_object('metric', 'val_accuracy'),
                                              'strategy', jsonb_build_object('name', 'random'),
                                              'space', jsonb_build_object(
                                                  'optimizer', jsonb_build_object('type', 'categorical',
                                                                                  'choices', jsonb_build_array(CAST(:choice AS text), 'adam')),
                                                  CAST(:parameter AS text), jsonb_build_object('type', 'float', 'low', 0, 'high', 1))),
                           repeat('f', 64), 'failed', '2026-11-20 11:00+00', '2026-11-20 11:00+00', '2026-11-20 12:00+00', 'node-a', 1,
                           :error, '0.1.0'""").bind("choice", CHOICE).bind("parameter", PARAMETER).bind("error", ERROR).execute();
            h.createUpdate("""
                    INSERT INTO orchestrator.trial (experiment_id, number, params, status, score, started_at, finished_at, worker, error)
                    SELECT 99, n, jsonb_build_object('optimizer', CASE WHEN n % 2 = 0 THEN CAST(:choice AS text) ELSE 'adam' END,
                                                     CAST(:parameter AS text), n / 10.0),
                           CASE WHEN n < 4 THEN 'complete' ELSE 'failed' END, CASE WHEN n < 4 THEN 0.8 + n / 100.0 END,
                           timestamptz '2026-11-20 11:00+00' + n * interval '5 minutes',
                           timestamptz '2026-11-20 11:04+00' + n * interval '5 minutes', 'node-a', CASE WHEN n = 4 THEN CAST(:error AS text) END
                      FROM generate_series(0, 4) n""").bind("choice", CHOICE).bind("parameter", PARAMETER).bind("error", ERROR).execute();
            // fraud gets a candidate that the gate rejected, both changes giving markup as their reason
            h.execute("""
                    INSERT INTO orchestrator.model_version (id, model_id, version, source, status, created_at) OVERRIDING SYSTEM VALUE
                    VALUES (98, 2, 'f2', 'manual', 'rejected', '2026-11-18 11:00+00')""");
            h.createUpdate("UPDATE orchestrator.model_version SET artifact_uri = :uri WHERE id = 98").bind("uri", ARTIFACT).execute();
            h.createUpdate("""
                    INSERT INTO orchestrator.model_version_event (id, model_version_id, from_status, to_status, at, actor, reason)
                    OVERRIDING SYSTEM VALUE VALUES
                      (98, 98, NULL, 'candidate', '2026-11-18 11:00+00', 'operator:mallory', :reason),
                      (99, 98, 'candidate', 'rejected', '2026-11-18 12:00+00', 'gate', :reason)""").bind("reason", REASON).execute();
        });
        headless = HeadlessBrowser.start();
        browser = headless.driver();
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_VIOLATIONS));
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", ADD_GATE));
    }

    @AfterAll
    void stop() throws IOException {
        if (headless != null) headless.close();
        if (dashboard != null) dashboard.close();
    }

    @BeforeEach
    void blank() {
        browser.get("about:blank");
    }

    @Test
    void markupInAChoiceAParameterNameOrAnErrorIsShownAsTextInTooltipsAndNeverRuns() throws IOException {
        open("/experiment.html?id=99");
        WebElement choices = chart("parameter:optimizer");
        WebElement named = chart("parameter:" + PARAMETER);
        WebElement history = chart("history");
        WebElement importance = chart("importance");

        assertThat(showEveryTooltip(importance)).contains(PARAMETER + " | importance: ", "optimizer | importance: ");
        String choiceTips = showEveryTooltip(choices);
        String namedTips = showEveryTooltip(named);
        String historyTips = showEveryTooltip(history);

        assertThat(choiceTips).contains("optimizer: " + CHOICE, "optimizer: adam");
        assertThat(namedTips).contains(PARAMETER + ": 0.1");
        assertThat(historyTips).contains("score: 0.8");
        for (WebElement chart : List.of(choices, named, history, importance)) {
            assertThat(chart.findElements(By.cssSelector("img, svg"))).as("markup parsed in " + chart.getAttribute("data-chart")).isEmpty();
        }
        js("echarts.getInstanceByDom(arguments[0]).dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 });"
                + " arguments[0].scrollIntoView();", choices);
        screenshot("experiment-xss");
        assertThat(browser.findElement(By.cssSelector(".error-box")).getText()).contains(ERROR);
        assertThat(browser.findElement(By.cssSelector("tr[data-trial='4']")).getText()).contains(ERROR);
        assertThat(js("return window.__xss === undefined ? null : String(window.__xss)")).as("the payload ran").isNull();
        assertThat(violations()).as("what the Content-Security-Policy refused").isEmpty();

        // compared with experiment 1: the parameter name and the error are text in the table and the tooltips
        open("/compare.html?a=1&b=99");
        assertThat(browser.findElements(By.cssSelector("tr[data-parameter]")))
                .filteredOn(r -> PARAMETER.equals(r.getAttribute("data-parameter")))
                .singleElement().satisfies(r -> assertThat(r.getText()).contains(PARAMETER));
        assertThat(showEveryTooltip(chart("compare-history"))).contains("#99 score: 0.8");
        assertThat(browser.findElements(By.cssSelector("main img, main svg"))).as("markup parsed on the compare page").isEmpty();
        assertThat(js("return window.__xss === undefined ? null : String(window.__xss)")).as("the payload ran").isNull();
        assertThat(violations()).isEmpty();

        open("/failed.html");
        assertThat(browser.findElement(By.cssSelector("article[data-experiment='99']")).getText()).contains(ERROR);
        assertThat(js("return window.__xss === undefined ? null : String(window.__xss)")).as("the payload ran").isNull();
        assertThat(violations()).isEmpty();
    }

    @Test
    void markupInAVersionChangesReasonOrInTheGateAndOutcomeIsShownAsTextAndNeverRuns() {
        open("/model.html?name=fraud");
        WebElement fpr = chart("timeline:false_positive_rate");
        String tip = (String) js("""
                const s = echarts.getInstanceByDom(arguments[0]).getOption().series.find((x) => x.id === 'version:rejection');
                return s.markLine.tooltip.formatter({ data: s.markLine.data[0] });""", fpr);
        assertThat(tip).contains("rejected f2", "gate: &lt;img src=r onerror=").doesNotContain("<img");
        // the tooltip over the plot names the rejection made near the point under the pointer
        assertThat(showEveryTooltip(fpr)).contains("rejected f2 at 2026-11-18 12:00 UTC · gate: " + REASON);
        assertThat(fpr.findElements(By.cssSelector("img, svg"))).as("markup parsed in the tooltip").isEmpty();
        List<WebElement> rows = browser.findElements(By.cssSelector("tr[data-version-event='99'], tr[data-version-event='98']"));
        assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r.getText()).contains(REASON));
        assertThat(browser.findElement(By.cssSelector("tr[data-version='f2']")).getText()).contains(ARTIFACT);
        assertThat(browser.findElements(By.cssSelector("table img, table svg"))).as("markup parsed in the version history").isEmpty();
        assertThat(js("return window.__xss === undefined ? null : String(window.__xss)")).as("the payload ran").isNull();
        assertThat(violations()).isEmpty();

        open("/experiment.html?id=99");
        WebElement gate = browser.findElement(By.cssSelector("[data-section='gate']"));
        assertThat(gate.getAttribute("data-verdict")).isEqualTo("rejected");
        assertThat(gate.getText()).contains("rejected", GATE, "0.8", "0.9", "worse");
        WebElement outcome = browser.findElement(By.cssSelector("[data-outcome]"));
        assertThat(outcome.getAttribute("data-outcome")).isEqualTo("not_recovered");
        assertThat(outcome.getText()).contains("not_recovered", GATE, "0.8 before → 0.7 after (threshold 0.85)", "1200 samples");
        assertThat(browser.findElements(By.cssSelector("[data-section='gate'] svg, [data-section='gate'] img, [data-outcome] svg")))
                .as("markup parsed in the gate or the outcome").isEmpty();
        assertThat(js("return window.__xss === undefined ? null : String(window.__xss)")).as("the payload ran").isNull();
        assertThat(violations()).isEmpty();
    }

    @Test
    void everyPageWorksUnderThePolicyWhichRefusesInlineScript() {
        for (String page : List.of("/", "/model.html?name=churn", "/model.html?name=fraud", "/experiments.html",
                "/experiment.html?id=1", "/compare.html?a=1&b=99", "/failed.html")) {
            open(page);
            for (WebElement chart : browser.findElements(By.cssSelector("[data-chart]"))) showEveryTooltip(chart);
            assertThat(violations()).as("what the Content-Security-Policy refused on " + page).isEmpty();
        }

        open("/model.html?name=churn");
        assertThat(showEveryTooltip(chart("timeline:accuracy"))).contains("2026-11-20 ", " UTC", "v1: ", "v2: ");

        // markup that slips into a page all the same cannot run: the inline handler is refused
        js("document.body.insertAdjacentHTML('beforeend', '<img id=\"probe\" src=\"/nothing-here.png\" onerror=\"window.__inline = 1\">')");
        new WebDriverWait(browser, PAGE_TIMEOUT).until(d -> !violations().isEmpty());
        assertThat(violations()).anySatisfy(v -> assertThat(v).startsWith("script-src-attr"));
        assertThat(js("return window.__inline === undefined ? null : 1")).isNull();
    }

    private void open(String path) {
        assertThat(headless.load(dashboard.url(path))).as("error shown by " + path).isNull();
    }

    private WebElement chart(String name) {
        return headless.chart(name);
    }

    /** Shows the tooltip of every point of every series (as hovering would), and returns what the tooltips said, one per line. */
    private String showEveryTooltip(WebElement chart) {
        return (String) js("""
                const chart = echarts.getInstanceByDom(arguments[0]);
                const option = chart.getOption();
                const said = [];
                option.series.forEach((s, seriesIndex) => {
                  (s.data || []).forEach((point, dataIndex) => {
                    if (option.tooltip[0].trigger === 'axis') {
                      const [x, y] = chart.convertToPixel({ seriesIndex }, point);
                      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
                      chart.dispatchAction({ type: 'showTip', x, y });
                    } else {
                      chart.dispatchAction({ type: 'showTip', seriesIndex, dataIndex });
                    }
                    const tips = [...arguments[0].children].filter((c) => c !== chart.getZr().painter.getViewportRoot());
                    tips.forEach((t) => said.push(t.innerText.replace(/\\n/g, ' | ')));
                  });
                });
                chart.dispatchAction({ type: 'hideTip' });
                return said.join('\\n');""", chart);
    }

    /** The page as target/screenshots/<name>.png, for a person to look at. */
    private void screenshot(String name) throws IOException {
        headless.screenshot(name);
    }

    @SuppressWarnings("unchecked")
    private List<String> violations() {
        return (List<String>) js("return window.__csp || []");
    }

    private Object js(String script, Object... args) {
        return headless.js(script, args);
    }
}
