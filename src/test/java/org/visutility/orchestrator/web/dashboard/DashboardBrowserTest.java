package org.visutility.orchestrator.web.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's pages in a real browser (Debian's headless Chromium through Selenium) against
 * the sample data of seed.sql: each page loads, its charts render the expected number of points,
 * and a screenshot of each page is kept in target/screenshots/. Skipped where Chromium and its
 * driver are not installed (CI installs them: .ci/run).
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    private SeededDashboard dashboard;
    private HeadlessBrowser headless;
    private ChromeDriver browser;

    @BeforeAll
    void start(TestDatabase db) throws Exception {
        Assumptions.assumeTrue(HeadlessBrowser.installed(),
                "headless Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        dashboard = SeededDashboard.start(db);
        headless = HeadlessBrowser.start();
        browser = headless.driver();
    }

    @AfterAll
    void stop() throws IOException {
        if (headless != null) headless.close();
        if (dashboard != null) dashboard.close();
    }

    @Test
    void theModelsPageListsEveryModelWithItsPolicyStatesAndTheHeadlineCounts() throws Exception {
        open("/");
        assertThat(texts("tbody tr[data-model] td:first-child")).containsExactly("churn", "fraud", "ranker");
        assertThat(browser.findElement(By.cssSelector("[data-tile='policies firing'] .tile-value")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.cssSelector("[data-tile='failed runs'] .tile-value")).getText()).isEqualTo("2");
        assertThat(browser.findElement(By.cssSelector("tr[data-model='churn']")).getText())
                .contains("v2", "churn-accuracy-floor", "churn-recall-precision", "firing");
        screenshot("models");
    }

    @Test
    void aModelsPageDrawsEachMetricsTimelineWithItsThresholdsAndFiringResolvedMarks() throws Exception {
        open("/model.html?name=churn");
        for (String metric : List.of("accuracy", "precision", "recall")) {
            WebElement chart = chart("timeline:" + metric);
            assertThat(points(chart)).as(metric).isEqualTo(Map.of("v1", 48, "v2", 24));
            assertThat(seriesLengthsFromEcharts(chart)).as(metric).containsEntry("v1", 48).containsEntry("v2", 24);
            assertDrawn(chart);
        }
        assertThat(chart("timeline:accuracy").getAttribute("data-thresholds")).isEqualTo("2");
        assertThat(chart("timeline:accuracy").getAttribute("data-marks")).isEqualTo("2");
        assertThat(chart("timeline:recall").getAttribute("data-thresholds")).isEqualTo("1");
        assertThat(chart("timeline:recall").getAttribute("data-marks")).isEqualTo("1");
        assertThat(browser.findElements(By.cssSelector("tr[data-state]"))).hasSize(3);
        assertThat(browser.findElement(By.cssSelector("tr[data-version='v2']")).getText())
                .contains("file:///var/lib/orchestrator/artifacts/churn/v2/model.tribuo");
        assertThat(browser.findElement(By.cssSelector("tr[data-version='v1']")).getText()).contains("—");
        assertThat(browser.findElement(By.cssSelector("[data-policy='churn-accuracy-floor']")).getText())
                .contains("mean(accuracy, 6h) below 0.85 for 30m");
        assertThat(browser.findElement(By.cssSelector("[data-policy='churn-legacy']")).getText())
                .contains("disabled", "not evaluated", "no threshold the dashboard can draw");
        screenshot("model");

        open("/model.html?name=fraud");
        WebElement fpr = chart("timeline:false_positive_rate");
        assertThat(points(fpr)).isEqualTo(Map.of("f1 · eu", 24, "f1 · us", 24));
        assertThat(fpr.getAttribute("data-marks")).isEqualTo("2");
        assertThat(legend(fpr)).contains("firing / resolved");
        assertDrawn(fpr);
        // no policy watches auc: no mark, so no legend entry naming marks that are not there
        WebElement auc = chart("timeline:auc");
        assertThat(auc.getAttribute("data-marks")).isEqualTo("0");
        assertThat(legend(auc)).doesNotContain("firing / resolved").contains("f1 · eu", "f1 · us");
        screenshot("model-fraud");
    }

    @Test
    void aModelsTimelinesShowWhenEachVersionWasActiveAndItsApprovalsRejectionsAndRollbacksAndTheVersionHistory() throws Exception {
        open("/model.html?name=churn");
        for (String metric : List.of("accuracy", "precision", "recall")) {
            WebElement chart = chart("timeline:" + metric);
            assertThat(chart.getAttribute("data-bands")).as(metric).isEqualTo("4");
            assertThat(Json.MAPPER.readTree(chart.getAttribute("data-version-marks"))).as(metric)
                    .isEqualTo(Json.MAPPER.readTree("{\"approved\":1,\"rejected\":1,\"rollback\":2}"));
        }
        WebElement accuracy = chart("timeline:accuracy");
        // v1 (cut to the window), v2 from its first snapshots, then the two rollbacks
        assertThat(js("""
                const s = echarts.getInstanceByDom(arguments[0]).getOption().series.find((x) => x.id === 'versions');
                return s.markArea.data.map((d) => d[0].name);""", accuracy)).isEqualTo(List.of("v1", "v2", "v1", "v2"));
        assertThat(versionMarkTooltip(accuracy, "version:rollback", 0))
                .contains("rollback v1", "2026-11-20 08:00 UTC", "retired → active", "operator:bob: rollback: v2 precision dips on eu traffic");
        assertThat(versionMarkTooltip(accuracy, "version:rejection", 0))
                .contains("rejected v2", "gate: evaluator failed: the active version v1 has no artifact");
        // over the plot, ECharts shows the axis tooltip: it names the version active then and the changes near it
        assertThat((String) js("""
                const tip = echarts.getInstanceByDom(arguments[0]).getOption().tooltip[0];
                const at = Date.parse('2026-11-20T10:00:00Z');
                return tip.formatter([{ axisValue: at, value: [at, 0.9, 1000], seriesName: 'v2', color: '#7c3aed' }]);""", accuracy))
                .contains("active: v2 (operator:alice: rollback: the dip was late labels, not v2)",
                        "rollback v2 at 2026-11-20 10:00 UTC · operator:alice: rollback: the dip was late labels, not v2");
        assertThat(browser.findElement(By.cssSelector("[data-legend='versions']")).getText()).contains("approved", "rejected", "rollback");

        List<WebElement> history = browser.findElements(By.cssSelector("tr[data-version-event]"));
        assertThat(history.stream().map(r -> r.getAttribute("data-version-event")))
                .containsExactly("12", "11", "10", "9", "8", "7", "6", "5", "4", "1");
        assertThat(history.get(0).getAttribute("data-kind")).isEqualTo("rollback");
        assertThat(history.get(0).getText()).contains("v2", "retired → active", "2026-11-20 10:00 UTC", "operator:alice",
                "rollback: the dip was late labels, not v2");
        assertThat(history.get(8).getText()).contains("registered as candidate", "experiment");
        screenshot("model-versions");
    }

    @Test
    void anExperimentsPageHidesTheGateAndTheRetrainOutcomeWhileTheApiGivesNone() {
        open("/experiment.html?id=1");
        assertThat(browser.findElements(By.cssSelector("[data-section='gate']"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("[data-outcome]"))).isEmpty();
        assertThat(texts("dl.facts")).noneSatisfy(facts -> assertThat(facts).contains("Retrain outcome"));
    }

    @Test
    void theExperimentsPageListsEveryExperimentNewestFirst() throws Exception {
        open("/experiments.html");
        assertThat(browser.findElements(By.cssSelector("tr[data-experiment]")).stream().map(e -> e.getAttribute("data-experiment")))
                .containsExactly("5", "4", "3", "2", "1");
        screenshot("experiments");

        // ended trials of the budget, as `experiments list` counts them (experiment 1: 16 complete, 2 failed, 2 pruned)
        assertThat(browser.findElement(By.cssSelector("tr[data-experiment='1']")).getText()).contains("20/20");
        assertThat(browser.findElement(By.cssSelector("tr[data-experiment='2']")).getText()).contains("3/10");

        open("/experiments.html?status=failed");
        assertThat(browser.findElements(By.cssSelector("tr[data-experiment]"))).hasSize(2);
    }

    @Test
    void anExperimentsPageDrawsTheOptimisationHistoryTheScoreAgainstEachParameterAndTheTrialTable() throws Exception {
        open("/experiment.html?id=1");
        WebElement history = chart("history");
        assertThat(points(history)).isEqualTo(Map.of("score", 16, "best so far", 16, "pruned", 2));
        assertThat(seriesLengthsFromEcharts(history)).isEqualTo(Map.of("score", 16, "best so far", 16, "pruned", 2));
        assertThat(js("return echarts.getInstanceByDom(arguments[0]).getOption().series.find((s) => s.id === 'data:pruned').symbol", history))
                .as("pruned trials have their own marker").isEqualTo("triangle");
        assertDrawn(history);
        for (String parameter : List.of("epochs", "learning_rate", "optimizer")) {
            WebElement chart = chart("parameter:" + parameter);
            assertThat(points(chart)).as(parameter).isEqualTo(Map.of("score", 16, "best", 1));
            assertDrawn(chart);
        }
        WebElement curves = chart("curves");
        Map<String, Integer> curvePoints = points(curves);
        assertThat(curvePoints).as("a curve for each trial that reported: 16 complete, 2 pruned").hasSize(18)
                .containsEntry("trial 0", 5).containsEntry("trial 6", 2).containsEntry("trial 15", 2)
                .doesNotContainKeys("trial 3", "trial 11");
        assertThat(seriesLengthsFromEcharts(curves)).isEqualTo(curvePoints);
        assertThat(curvePoints.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(16 * 5 + 2 * 2);
        assertDrawn(curves);
        WebElement importance = chart("importance");
        assertThat(points(importance)).isEqualTo(Map.of("importance", 3));
        assertThat(js("return echarts.getInstanceByDom(arguments[0]).getOption().yAxis[0].data", importance))
                .asList().containsExactlyInAnyOrder("epochs", "learning_rate", "optimizer");
        assertThat(texts("section.card")).anySatisfy(t -> assertThat(t).contains("Parameter importance", "Not fANOVA"));
        assertDrawn(importance);
        assertThat(browser.findElements(By.cssSelector("tr[data-trial]"))).hasSize(20);
        assertThat(browser.findElement(By.cssSelector("tr.best")).getAttribute("data-trial")).isEqualTo("10");
        assertThat(texts("dl.facts")).anySatisfy(facts -> assertThat(facts).contains("Best score\n0.9205 (trial 10)", "Produced\nv2"))
                .anySatisfy(facts -> assertThat(facts).contains("Condition\nmean(accuracy, 6h) below 0.85"));
        screenshot("experiment");
    }

    @Test
    void anExperimentsPageShowsItsTrialsPerNodeInATableAndWithSeveralNodesABarEach() throws Exception {
        open("/experiment.html?id=1");
        assertThat(browser.findElements(By.cssSelector("[data-section='nodes'] tr[data-node]")).stream().map(r -> r.getAttribute("data-node")))
                .containsExactly("node-b", "node-a");
        // node, trials, complete, failed, pruned, running, trial time (13 trials of 18 minutes)
        assertThat(browser.findElement(By.cssSelector("tr[data-node='node-b']")).getText()).isEqualTo("node-b 13 11 1 1 0 3h 54m");
        WebElement nodes = chart("nodes");
        assertThat(points(nodes)).isEqualTo(Map.of("complete", 2, "failed", 2, "pruned", 2, "running", 2));
        assertThat(js("return echarts.getInstanceByDom(arguments[0]).getOption().series.find((s) => s.id === 'data:complete').data",
                nodes)).asList().containsExactly(5L, 11L);
        assertDrawn(nodes);
        screenshot("experiment-nodes");

        // one node: its row, and no chart
        open("/experiment.html?id=5");
        assertThat(browser.findElement(By.cssSelector("tr[data-node='node-b']")).getText()).isEqualTo("node-b 5 4 0 0 1 1h 36m");
        assertThat(browser.findElements(By.cssSelector("[data-chart='nodes']"))).isEmpty();
    }

    @Test
    void twoExperimentsOfOneModelAreComparedSideBySideAndTwoOfDifferentModelsAreRefused() throws Exception {
        open("/experiment.html?id=1");
        assertThat(browser.findElements(By.cssSelector("a[data-compare]")).stream().map(a -> a.getAttribute("data-compare")))
                .as("the other experiments of churn").containsExactly("4", "3");

        open("/compare.html?a=1&b=3");
        WebElement history = chart("compare-history");
        Map<String, Integer> expected = Map.of("#1 score", 16, "#1 best so far", 16, "#3 score", 0, "#3 best so far", 0);
        assertThat(points(history)).isEqualTo(expected);
        assertThat(seriesLengthsFromEcharts(history)).isEqualTo(expected);
        assertDrawn(history);
        assertThat(browser.findElement(By.cssSelector("tr[data-fact='Status']")).getText()).contains("succeeded", "failed");
        assertThat(browser.findElement(By.cssSelector("tr[data-fact='Trials']")).getText())
                .contains("20/20 ended · 16 complete · 2 failed · 2 pruned", "0 ended · 0 complete");
        assertThat(browser.findElement(By.cssSelector("tr[data-fact='Best score']")).getText()).contains("0.9205 (trial 10)");
        assertThat(browser.findElements(By.cssSelector("tr[data-parameter]")).stream().map(r -> r.getAttribute("data-parameter")))
                .containsExactly("epochs", "learning_rate", "optimizer", "threshold");
        screenshot("compare");

        assertThat(headless.load(dashboard.url("/compare.html?a=1&b=2"))).contains("different models (churn, fraud)");
    }

    @Test
    void theFailedRunsPageShowsEachErrorAndTheCommandThatRestartsIt() throws Exception {
        open("/failed.html");
        List<WebElement> runs = browser.findElements(By.cssSelector("article.failed-run"));
        assertThat(runs.stream().map(r -> r.getAttribute("data-experiment"))).containsExactly("3", "2");
        assertThat(texts("article.failed-run code.command"))
                .containsExactly("orchestrator ops restart 3", "orchestrator ops restart 2 --retry-failed");
        assertThat(runs.get(1).getText()).contains("Once the cause is fixed, retry its failed trials:");
        assertThat(runs.get(1).getText()).contains("max_failed reached", "killed (out of memory)");
        screenshot("failed");
    }

    @Test
    void anUnknownExperimentShowsTheServersReason() {
        String error = headless.load(dashboard.url("/experiment.html?id=999"));
        assertThat(error).contains("404").contains("no experiment with id 999");
        assertThat(browser.findElement(By.cssSelector(".error-box")).getText()).contains("no experiment with id 999");
    }

    private void open(String path) {
        headless.open(dashboard.url(path));
    }

    private WebElement chart(String name) {
        return headless.chart(name);
    }

    /** The tooltip ECharts would show over the series' n-th version marker, from the chart's own formatter. */
    private String versionMarkTooltip(WebElement chart, String seriesId, int n) {
        return (String) js("""
                const s = echarts.getInstanceByDom(arguments[0]).getOption().series.find((x) => x.id === arguments[1]);
                return s.markLine.tooltip.formatter({ data: s.markLine.data[arguments[2]] });""", chart, seriesId, n);
    }

    /** The names of the series a timeline drew, hence its legend entries. */
    private static List<String> legend(WebElement chart) throws IOException {
        return Json.MAPPER.readValue(chart.getAttribute("data-legend"),
                Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** What the page recorded after rendering: points per series. */
    private static Map<String, Integer> points(WebElement chart) throws IOException {
        return HeadlessBrowser.points(chart);
    }

    /** The same, asked of ECharts itself. */
    @SuppressWarnings("unchecked")
    private Map<String, Integer> seriesLengthsFromEcharts(WebElement chart) {
        Map<String, Long> lengths = (Map<String, Long>) js("""
                const option = echarts.getInstanceByDom(arguments[0]).getOption();
                const out = {};
                option.series.filter(s => String(s.id).startsWith('data:')).forEach(s => { out[s.name] = s.data.length; });
                return out;""", chart);
        return lengths.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().intValue()));
    }

    private void assertDrawn(WebElement chart) {
        headless.assertDrawn(chart);
    }

    private List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private Object js(String script, Object... args) {
        return headless.js(script, args);
    }

    private void screenshot(String name) throws IOException {
        headless.screenshot(name);
    }
}
