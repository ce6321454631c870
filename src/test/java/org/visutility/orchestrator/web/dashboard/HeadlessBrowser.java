package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.visutility.orchestrator.core.Json;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's headless Chromium through Selenium, opened on dashboard pages: waits for a page to say it
 * is complete, reads what each chart recorded after rendering, checks its canvas has ink, and keeps a
 * screenshot in target/screenshots/. {@link #installed()} tells whether the browser is there (CI
 * installs it: .ci/run).
 */
final class HeadlessBrowser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    private static final int WINDOW_WIDTH = 1400;
    private static final int WINDOW_HEIGHT = 1000;

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static HeadlessBrowser start() throws IOException {
        Path profile = Files.createTempDirectory("dashboard-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=" + WINDOW_WIDTH + "," + WINDOW_HEIGHT, "--hide-scrollbars");
        // the driver is named explicitly so that Selenium Manager never tries to download one
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        Files.createDirectories(SCREENSHOTS);
        return new HeadlessBrowser(new ChromeDriver(service, options), profile);
    }

    /** Opens the page and waits for it; fails if it shows an error or prints a JavaScript non-value. */
    void open(String url) {
        assertThat(load(url)).as("error shown by " + url).isNull();
        assertThat(driver.findElement(By.tagName("body")).getText()).as("text of " + url).doesNotContain("[object", "undefined", "NaN");
    }

    /** Opens the page and waits until it says it is complete (every chart rendered) or shows an error; returns the error, if any. */
    String load(String url) {
        driver.get(url);
        new WebDriverWait(driver, PAGE_TIMEOUT).until(d -> js("return document.body.dataset.ready === 'true' || !!document.body.dataset.error"));
        return (String) js("return document.body.dataset.error || null");
    }

    /** The driver itself, for what a test asks of the page beyond these helpers. */
    ChromeDriver driver() {
        return driver;
    }

    /** The chart element named {@code name} (its data-chart), which must have finished rendering. */
    WebElement chart(String name) {
        WebElement chart = driver.findElement(By.cssSelector("[data-chart='" + name.replace("'", "\\'") + "']"));
        assertThat(chart.getAttribute("data-rendered")).as(name + " rendered").isEqualTo("true");
        return chart;
    }

    /** What the page recorded after rendering: points per series. */
    static Map<String, Integer> points(WebElement chart) throws IOException {
        return ints(chart.getAttribute("data-points"));
    }

    /** A JSON object of counts a chart recorded in one of its data attributes, such as data-marks. */
    static Map<String, Integer> ints(String json) throws IOException {
        JsonNode counts = Json.MAPPER.readTree(json);
        return Json.MAPPER.convertValue(counts, Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Integer.class));
    }

    /** The chart's canvas has something drawn on it, not just a blank background. */
    void assertDrawn(WebElement chart) {
        Long inked = (Long) js("""
                const canvas = arguments[0].querySelector('canvas');
                if (!canvas || canvas.width === 0) return 0;
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let inked = 0;
                for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && pixels[i] + pixels[i + 1] + pixels[i + 2] < 600) inked++;
                return inked;""", chart);
        assertThat(inked).as("pixels drawn in " + chart.getAttribute("data-chart")).isGreaterThan(1000L);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    java.util.List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The whole page, not only the window, as target/screenshots/<name>.png. */
    @SuppressWarnings("unchecked")
    void screenshot(String name) throws IOException {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Number> size = (Map<String, Number>) metrics.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", WINDOW_WIDTH,
                "height", Math.max(WINDOW_HEIGHT, size.get("height").intValue()), "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.write(SCREENSHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var paths = Files.walk(profile)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
