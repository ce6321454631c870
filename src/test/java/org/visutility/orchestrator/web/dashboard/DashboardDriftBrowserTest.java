package org.visutility.orchestrator.web.dashboard;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.PolicyBed;
import org.visutility.orchestrator.support.PolicyBedExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model page's drift section in a real browser, on the world of {@link DashboardDriftApiTest}
 * (radius drifted, site did not, a drift policy fired before the labels and was confirmed when they
 * landed): each watched feature's reference and newest histogram, the drift scores over time with the
 * policy's line, and estimated against realised accuracy with the confirmed decision marked.
 * Skipped where Chromium and its driver are not installed.
 */
@ExtendWith(PolicyBedExtension.class)
class DashboardDriftBrowserTest {

    @Test
    void theModelPageDrawsEachFeaturesHistogramsTheScoresOverTimeAndEstimatedAgainstRealisedAccuracy(PolicyBed bed) throws Exception {
        Assumptions.assumeTrue(HeadlessBrowser.installed(), "headless Chromium and chromedriver are not installed");
        DashboardDriftApiTest.world(bed);
        try (Node node = Node.start(bed.db.config(), List.of(new DashboardModule()));
             HeadlessBrowser browser = HeadlessBrowser.start()) {
            browser.open("http://localhost:" + node.httpPort()
                    + "/model.html?name=scanner&from=2026-03-01T00:00:00Z&to=2026-03-01T02:00:00Z");

            WebElement radius = browser.chart("histogram:radius");
            assertThat(HeadlessBrowser.points(radius)).as("reference and window on the same four bins")
                    .isEqualTo(Map.of("reference", 4, "current", 4));
            browser.assertDrawn(radius);
            assertThat(browser.find("[data-feature='radius']").getText()).contains("drifting", "PSI 0.9129", "window ending 2026-03-01 00:30");
            WebElement site = browser.chart("histogram:site");
            assertThat(HeadlessBrowser.points(site)).as("a, b and the bucket outside the reference, where c fell")
                    .isEqualTo(Map.of("reference", 3, "current", 3));
            assertThat(browser.find("[data-feature='site']").getText()).contains("steady");

            WebElement scores = browser.chart("drift-scores");
            assertThat(HeadlessBrowser.points(scores)).isEqualTo(Map.of("radius", 1, "site", 1));
            assertThat(scores.getAttribute("data-thresholds")).as("the policy's PSI line").isEqualTo("1");
            browser.assertDrawn(scores);

            WebElement performance = browser.chart("performance");
            assertThat(HeadlessBrowser.points(performance)).isEqualTo(Map.of("estimated accuracy", 1, "realised accuracy", 1));
            assertThat(HeadlessBrowser.ints(performance.getAttribute("data-marks"))).containsEntry("confirmed", 1);
            browser.assertDrawn(performance);

            assertThat(browser.findAll("tr[data-verdict='confirmed']")).singleElement()
                    .satisfies(row -> assertThat(row.getText()).contains("scanner-drift", "accuracy 0.8"));
            browser.screenshot("model-drift");
        }
    }
}
