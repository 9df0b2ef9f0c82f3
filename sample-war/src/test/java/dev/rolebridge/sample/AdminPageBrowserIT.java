package dev.rolebridge.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Chromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The administration page of the sample ({@code adminPath} {@code /rolebridge-admin} in {@code web.xml}) in a real
 * browser, as the README tells it: alice, the administrator, maps the contractors' IdP group to the application's
 * {@code end-users}, checks it with a dry run, and carl, a contractor, gets {@code end-users} by that rule at his
 * next sign-in but no administration page; the audit names alice. Every page the story visits is saved as a PNG
 * in {@code target/admin-screenshots/}, at laptop width (1280 CSS pixels) and, for the rules, at phone width
 * (390). Chromium as in {@link BrowserIT}: skipped with a message without it, failed in CI.
 */
class AdminPageBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ADMIN = "/rolebridge-admin";
    private static final String RULE = "contractors = end-users";
    private static final String MAPPING_TRACE = "groupMappings: IdP group 'contractors'";
    private static final String DEFAULT_GROUP_TRACE = "defaultGroup:";
    private static final String CARLS_CLAIMS = "{\"preferred_username\":\"carl\",\"groups\":[\"contractors\"]}";
    private static final Map<String, Object> LAPTOP =
            Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false);
    private static final Map<String, Object> PHONE =
            Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true);

    @RegisterExtension
    static final Chromium chromium = Chromium.headless("--window-size=1280,900");

    private static SampleServer server;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        server = SampleServer.start(SampleServer.freePort(), SampleServer.freePort());
        browser = chromium.driver();
        atSize(LAPTOP);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void adminMapsContractorsToEndUsersDryRunsItAndTheContractorGetsTheGroupButNoAdministration() throws Exception {
        // alice adds the rule through the form
        signIn(ADMIN + "/rules", "alice");
        assertThat(browser.getTitle()).isEqualTo("Mapping rules - Rolebridge");
        assertThat(ruleRows())
                .as("no rule for contractors before alice adds one")
                .isEmpty();
        new Select(browser.findElement(By.name("kind"))).selectByValue("groupMapping");
        WebElement text = browser.findElement(By.name("text"));
        text.click();
        text.sendKeys(RULE);
        browser.findElement(By.xpath("//button[normalize-space()='Add rule']")).click();

        await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("p.notice")));
        assertThat(browser.getCurrentUrl()).isEqualTo(server.url(ADMIN + "/rules"));
        assertThat(browser.findElement(By.cssSelector("p.notice")).getText())
                .isEqualTo("Rule added; it applies from the next login.");
        assertThat(ruleRows())
                .singleElement()
                .satisfies(row -> assertThat(row.findElements(By.tagName("td")).stream()
                                .limit(4)
                                .map(WebElement::getText)
                                .toList())
                        .containsExactly("groupMapping", RULE, "administrator", "in force"));
        screenshot("rules");
        atPhoneWidth(() -> screenshot("rules-phone"));

        // the dry run: carl's claims, nothing written
        browser.get(server.url(ADMIN + "/dry-run"));
        assertThat(browser.getTitle()).isEqualTo("Dry run - Rolebridge");
        WebElement claims = browser.findElement(By.name("claims"));
        claims.clear();
        claims.sendKeys(CARLS_CLAIMS);
        browser.findElement(By.name("userId")).clear();
        browser.findElement(By.xpath("//button[normalize-space()='Run']")).click();

        await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("ol.trace")));
        assertThat(browser.findElement(By.name("claims")).getDomProperty("value"))
                .as("the result is for the claims typed in")
                .isEqualTo(CARLS_CLAIMS);
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Nothing was written.");
        Map<String, String> result = definitions();
        assertThat(result).containsKeys("Groups", "Primary role", "Roles", "Would be added", "Would be removed");
        assertThat(List.of(result.get("Groups").split(", ", 0))).contains("end-users");
        assertThat(result.get("Primary role")).isEqualTo("end-user");
        assertThat(traceLines(By.cssSelector("ol.trace li")))
                .as("the dry run names the new rule")
                .anySatisfy(line -> assertThat(line).contains("end-users").contains(MAPPING_TRACE));
        screenshot("dry-run");
        signOut();

        // carl signs in: end-users by the mapping, not by the default group
        signIn("/me", "carl");
        assertThat(text("user")).isEqualTo("carl");
        assertThat(text("provider-groups")).isEqualTo("contractors");
        assertThat(List.of(text("groups").split(", ", 0))).contains("end-users");
        assertThat(text("employee-role")).isEqualTo("end-user");
        List<String> trace = traceLines(By.cssSelector("#trace li"));
        assertThat(trace)
                .as("end-users comes from the groupMappings rule for contractors")
                .anySatisfy(line -> assertThat(line).contains("end-users").contains(MAPPING_TRACE));
        assertThat(trace)
                .as("and not from the default group, as it would without the rule")
                .noneSatisfy(line -> assertThat(line).contains("end-users").contains(DEFAULT_GROUP_TRACE));
        screenshot("carl-me");

        // carl is no administrator
        browser.get(server.url(ADMIN + "/"));
        assertThat(browser.getTitle()).isEqualTo("Not an administrator - Rolebridge");
        assertThat(status()).isEqualTo(403);
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("You are signed in as carl")
                .contains("'admin'");
        assertThat(browser.findElements(By.tagName("form")))
                .as("nothing to change")
                .isEmpty();
        screenshot("carl-refused");
        signOut();

        // alice reads the audit: the rule change, made by her
        signIn(ADMIN + "/audit", "alice");
        assertThat(status()).isEqualTo(200);
        assertThat(browser.getTitle()).isEqualTo("Audit trail - Rolebridge");
        List<String> columns = browser.findElements(By.cssSelector("main table thead th")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(columns).contains("Time (UTC)", "Actor", "By", "User", "Added", "Removed");
        int kind = columns.indexOf("Actor");
        int by = columns.indexOf("By");
        List<List<String>> events = browser.findElements(By.cssSelector("main table tbody tr")).stream()
                .map(row -> row.findElements(By.tagName("td")).stream()
                        .map(WebElement::getText)
                        .toList())
                .toList();
        assertThat(events).as("the rule alice added, under her name").anySatisfy(cells -> {
            assertThat(cells.get(kind)).isEqualTo("admin");
            assertThat(cells.get(by)).isEqualTo("alice");
            assertThat(String.join(" | ", cells)).contains(RULE);
        });
        assertThat(events).as("carl's sign-in, which the rule mapped").anySatisfy(cells -> {
            assertThat(cells.get(kind)).isEqualTo("login");
            assertThat(cells.get(columns.indexOf("User"))).isEqualTo("carl");
            assertThat(cells.get(columns.indexOf("Added"))).isEqualTo("end-users");
            assertThat(String.join(" | ", cells)).contains(MAPPING_TRACE);
        });
        screenshot("audit");
    }

    // --- the story's steps

    private static WebDriverWait await() {
        return new WebDriverWait(browser, WAIT);
    }

    /** Opens {@code page}, lands on the demo login page, signs in as {@code user} and waits to be back there. */
    private static void signIn(String page, String user) {
        browser.get(server.url(page));
        await().until(ExpectedConditions.titleIs("Demo identity provider"));
        browser.findElement(By.id(user)).click();
        await().until(ExpectedConditions.urlToBe(server.url(page)));
    }

    /** Presses the sample page's "Sign out" button and waits for the demo login page. */
    private static void signOut() {
        if (browser.findElements(By.id("sign-out")).isEmpty()) {
            browser.get(server.url("/me"));
        }
        browser.findElement(By.id("sign-out")).click();
        await().until(ExpectedConditions.titleIs("Demo identity provider"));
    }

    /** The rows of the rules table whose rule text is {@link #RULE}. */
    private static List<WebElement> ruleRows() {
        return browser.findElements(By.cssSelector("main table tbody tr")).stream()
                .filter(row -> row.findElements(By.tagName("code")).stream()
                        .anyMatch(code -> code.getText().equals(RULE)))
                .toList();
    }

    /** The dry run's result: each {@code <dt>} with the text of the {@code <dd>} after it. */
    private static Map<String, String> definitions() {
        List<WebElement> terms = browser.findElements(By.cssSelector("main dl dt"));
        Map<String, String> result = new java.util.LinkedHashMap<>();
        for (WebElement term : terms) {
            result.put(
                    term.getText(),
                    term.findElement(By.xpath("following-sibling::dd[1]")).getText());
        }
        return result;
    }

    private static List<String> traceLines(By lines) {
        return browser.findElements(lines).stream().map(WebElement::getText).toList();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** The HTTP status of the page the browser shows, as the browser's navigation timing saw it. */
    private static long status() {
        Object status = browser.executeScript("return performance.getEntriesByType('navigation')[0].responseStatus;");
        return status instanceof Number number ? number.longValue() : -1;
    }

    // --- screenshots

    /**
     * Saves the whole page, at the window's width and at least its height, as {@code target/admin-screenshots/
     * NAME.png}.
     */
    private static void screenshot(String name) throws IOException {
        Number width = (Number) browser.executeScript("return document.documentElement.clientWidth;");
        Number height = (Number)
                browser.executeScript("return Math.max(window.innerHeight, document.documentElement.scrollHeight);");
        Map<String, Object> shot = browser.executeCdpCommand(
                "Page.captureScreenshot",
                Map.of(
                        "format",
                        "png",
                        "captureBeyondViewport",
                        true,
                        "clip",
                        Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
        Path saved = Path.of(
                System.getProperty("rolebridge.it.buildDirectory", "target"), "admin-screenshots", name + ".png");
        Files.createDirectories(saved.getParent());
        Files.write(saved, png);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    /** Lays pages out in a viewport of this size (CSS pixels), whatever the headless window's frame takes. */
    private static void atSize(Map<String, Object> metrics) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", metrics);
        assertThat(browser.executeScript("return document.documentElement.clientWidth;"))
                .as("laid out %s CSS pixels wide", metrics.get("width"))
                .isEqualTo(((Integer) metrics.get("width")).longValue());
    }

    /** Runs {@code step} with the page laid out as on a phone (390 by 844 CSS pixels), then returns to laptop size. */
    private static void atPhoneWidth(IoStep step) throws IOException {
        atSize(PHONE);
        try {
            assertThat(browser.executeScript(
                            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;"))
                    .as("the page itself is no wider than the phone's screen")
                    .isEqualTo(true);
            step.run();
        } finally {
            atSize(LAPTOP);
        }
    }

    @FunctionalInterface
    private interface IoStep {
        void run() throws IOException;
    }
}
