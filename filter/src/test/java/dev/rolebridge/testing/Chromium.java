package dev.rolebridge.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for a test class, as a JUnit 5 extension: Debian's Chromium, headless, driven by Debian's
 * chromedriver through Selenium WebDriver. Both paths are given explicitly ({@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}, or the system properties {@code rolebridge.it.chromium} and
 * {@code rolebridge.it.chromedriver}), so Selenium Manager never runs and nothing is downloaded. Without them the
 * class is skipped with a message, except in CI ({@code CI=true}), where it fails.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Chromium chromium = Chromium.headless("--window-size=1280,900");
 *
 * @Test
 * void opensThePage() {
 *     chromium.driver().get(url);
 * }
 * }</pre>
 *
 * <p>The browser starts before the class's own {@code @BeforeAll} methods (so a class that is skipped starts nothing
 * else), with a profile of its own, and quits after the class's {@code @AfterAll} methods.
 */
public final class Chromium implements BeforeAllCallback, AfterAllCallback {

    private static final File CHROMIUM = new File(System.getProperty("rolebridge.it.chromium", "/usr/bin/chromium"));
    private static final File CHROMEDRIVER =
            new File(System.getProperty("rolebridge.it.chromedriver", "/usr/bin/chromedriver"));

    private final List<String> arguments;
    private ChromeDriver driver;

    private Chromium(List<String> arguments) {
        this.arguments = arguments;
    }

    /** Headless Chromium with these command-line arguments besides the ones a test run needs. */
    public static Chromium headless(String... arguments) {
        List<String> all = new ArrayList<>(List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run"));
        all.addAll(List.of(arguments));
        return new Chromium(List.copyOf(all));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            String missing = "Chromium (" + CHROMIUM + ") and chromedriver (" + CHROMEDRIVER + ") are needed: "
                    + "apt-get install chromium chromium-driver";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(missing);
            }
            Assumptions.abort(missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(arguments);
        try {
            options.addArguments("--user-data-dir=" + Files.createTempDirectory("rolebridge-chromium"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER)
                        .usingAnyFreePort()
                        .build(),
                options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    /** The browser, while the class's tests run. */
    public ChromeDriver driver() {
        if (driver == null) {
            throw new IllegalStateException("Chromium runs only while the test class does");
        }
        return driver;
    }
}
