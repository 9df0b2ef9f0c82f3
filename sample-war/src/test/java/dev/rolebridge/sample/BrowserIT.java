package dev.rolebridge.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Chromium;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person with a real browser: Debian's Chromium, headless, driven by Debian's chromedriver through Selenium
 * WebDriver ({@link Chromium}, from the filter's test support), so nothing is downloaded. Without Chromium the test
 * is skipped with a message, except in CI ({@code CI=true}), where it fails.
 */
class BrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final Chromium chromium = Chromium.headless("--window-size=1280,900");

    private static SampleServer server;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        server = SampleServer.start(SampleServer.freePort(), SampleServer.freePort());
        browser = chromium.driver();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static WebDriverWait await() {
        return new WebDriverWait(browser, WAIT);
    }

    /** Opens {@code page}, lands on the demo login page, signs in as {@code user} and waits to be back there. */
    private static void signIn(String page, String user) {
        browser.get(server.url(page));
        awaitLoginPage();
        browser.findElement(By.id(user)).click();
        await().until(ExpectedConditions.urlToBe(server.url(page)));
    }

    /** Presses the page's "Sign out" button and waits for the demo login page. */
    private static void signOut() {
        browser.findElement(By.id("sign-out")).click();
        awaitLoginPage();
    }

    private static void awaitLoginPage() {
        await().until(ExpectedConditions.titleIs("Demo identity provider"));
    }

    @Test
    void signsInAtTheProviderLandsOnTheAskedPageSeesTheRoleAndSignsOut() throws Exception {
        signIn("/me", "bob");

        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("bob");
        assertThat(browser.findElement(By.id("provider-groups")).getText()).isEqualTo("engineers");
        assertThat(browser.findElement(By.id("employee-role")).getText())
                .as("engineers = all apps, and all apps grants builder")
                .isEqualTo("builder");
        File screenshot = browser.getScreenshotAs(OutputType.FILE);
        Path saved = Path.of(
                System.getProperty("rolebridge.it.buildDirectory", "target"), "browser", "signed-in-as-bob.png");
        Files.createDirectories(saved.getParent());
        Files.copy(screenshot.toPath(), saved, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(saved).isNotEmptyFile();
        assertThat(Files.readAllBytes(saved)).startsWith(0x89, 'P', 'N', 'G');

        signOut();

        browser.get(server.url("/home"));
        awaitLoginPage();
    }

    /**
     * An administrator signed in to the application opens an attacker's page on another site (another host
     * name, 127.0.0.2) that posts the legacy approval form, which carries no CSRF token: Rolebridge refuses
     * the cross-site POST and the expense stays pending.
     */
    @Test
    void aCrossSiteFormPostToTheAdministrationIsRefused() throws Exception {
        signIn("/home", "alice");
        browser.executeScript("document.querySelector('#new-expense [name=spentOn]').value = '2026-01-15';"
                + "document.querySelector('#new-expense [name=description]').value = 'Train to the customer';"
                + "document.querySelector('#new-expense [name=amount]').value = '42.50';"
                + "document.getElementById('new-expense').submit();");
        await().until(ExpectedConditions.urlToBe(server.url("/home")));
        browser.get(server.url("/admin/"));
        String id = browser.findElements(By.cssSelector("#pending input[name=id]")).stream()
                .map(e -> e.getAttribute("value"))
                .reduce((first, last) -> last)
                .orElseThrow();

        com.sun.net.httpserver.HttpServer attacker =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.2", 0), 0);
        String page = "<!DOCTYPE html><title>Win a prize</title><form method=\"post\" action=\""
                + server.url("/admin/approve") + "\"><input type=\"hidden\" name=\"id\" value=\"" + id
                + "\"></form><script>document.forms[0].submit()</script>";
        attacker.createContext("/prize", exchange -> {
            byte[] body = page.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html;charset=UTF-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        attacker.start();
        try {
            browser.get("http://127.0.0.2:" + attacker.getAddress().getPort() + "/prize");
            await().until(ExpectedConditions.titleIs("Request refused"));
            assertThat(browser.getCurrentUrl()).isEqualTo(server.url("/admin/approve"));
        } finally {
            attacker.stop(0);
        }

        browser.get(server.url("/admin/"));
        assertThat(browser.findElements(By.cssSelector("#pending input[name=id]")))
                .as("the expense is still waiting for approval")
                .anySatisfy(e -> assertThat(e.getAttribute("value")).isEqualTo(id));
        signOut();
    }
}
