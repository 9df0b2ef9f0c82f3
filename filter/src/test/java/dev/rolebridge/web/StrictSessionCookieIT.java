package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Chromium;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.TestApp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Sign-in in a real browser (Debian's headless Chromium through chromedriver) with the provider on another site
 * than the application ({@code 127.0.0.1} and {@code localhost}), for an application whose session cookie is
 * {@code SameSite=Strict} (as Tomcat's own examples application ships) and for one whose cookie is Rolebridge's
 * {@code Lax}. Without Chromium the test is skipped with a message, except in CI ({@code CI=true}).
 */
class StrictSessionCookieIT {

    @RegisterExtension
    static final Chromium chromium = Chromium.headless();

    private static ScriptedProvider provider;

    @BeforeAll
    static void start() {
        provider = new ScriptedProvider(); // on 127.0.0.1: another site than the application's localhost
        provider.loginPage(true); // the way back starts on a page of the provider's site, as after its login form
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Strict", "Lax"})
    void signInWorksWithTheProviderOnAnotherSiteWhateverTheSessionCookiesSameSite(String sameSite) {
        int port = TestApp.freePort();
        Map<String, String> params = provider.filterParameters(port);
        try (TestApp app = TestApp.withFilter(
                port,
                params,
                context -> context.addServletContainerInitializer(
                        (classes, servletContext) ->
                                servletContext.getSessionCookieConfig().setAttribute("SameSite", sameSite),
                        null))) {
            WebDriver browser = chromium.driver();
            browser.manage().deleteAllCookies();

            browser.get(app.url("/reports?year=2026"));

            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(ExpectedConditions.urlToBe(app.url("/reports?year=2026")));
            String page = browser.findElement(By.tagName("body")).getText();
            assertThat(page).contains("remoteUser=scripted-user");
            browser.get(app.url("/me"));
            assertThat(browser.findElement(By.tagName("body")).getText())
                    .as("the session holds")
                    .contains("remoteUser=scripted-user");
        }
    }
}
