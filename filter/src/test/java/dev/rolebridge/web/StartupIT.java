package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rolebridge.config.RolebridgeConfig;
import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.Provider;
import dev.rolebridge.testing.TestApp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Start-up, configuration sources, the provider being away, and the sync hook failing, in a real Tomcat. */
class StartupIT {

    private static Provider provider;

    @BeforeAll
    static void startProvider() {
        provider = new Provider();
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
    }

    @Test
    void misconfigurationStopsTheApplicationWithAMessageNamingEachParameter() {
        try (TestApp app = TestApp.signingInAt(provider, params -> {
            params.remove("clientId");
            params.put("clockSkewSeconds", "-5");
        })) {
            assertThat(app.started()).isFalse();
            assertThat(app.containerLog())
                    .contains("Rolebridge is misconfigured and will not start (2 problems)")
                    .contains("clientId: is required")
                    .contains("clockSkewSeconds: '-5' expected a whole number from 0 to 600");
        }
    }

    @Test
    void unknownSyncHookClassStopsTheApplication() {
        try (TestApp app = TestApp.signingInAt(provider, params -> params.put("syncHook", "com.example.NoSuchHook"))) {
            assertThat(app.started()).isFalse();
            assertThat(app.containerLog())
                    .contains("syncHook: 'com.example.NoSuchHook' names no class visible to the web application");
        }
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteLaxAndASessionIdInTheUrlIsIgnored() {
        try (TestApp app = TestApp.signingInAt(provider)) {
            Browser browser = new Browser();
            HttpResponse<String> toProvider = browser.get(app.url("/me"));
            String cookie = toProvider.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie)
                    .startsWith("JSESSIONID=")
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Lax")
                    .doesNotContainIgnoringCase("Secure");

            provider.nextLogin("sub-url", Map.of("preferred_username", "url-user"));
            String page = browser.open(
                            toProvider.headers().firstValue("Location").orElseThrow())
                    .body();
            assertThat(page).contains("remoteUser=url-user");
            String sessionId = page.lines()
                    .filter(l -> l.startsWith("session="))
                    .findFirst()
                    .orElseThrow()
                    .substring("session=".length());

            HttpResponse<String> fromUrl = new Browser().get(app.url("/me;jsessionid=" + sessionId));
            assertThat(fromUrl.statusCode())
                    .as("a session id in the URL carries no signed-in session")
                    .isEqualTo(302);
        }
    }

    @Test
    void sessionCookieIsSecureWithAnHttpsCallbackAndLeftAloneWhenAsked() {
        try (TestApp app = TestApp.signingInAt(provider, StartupIT::httpsCallback)) {
            assertThat(new Browser()
                            .get(app.url("/me"))
                            .headers()
                            .firstValue("Set-Cookie")
                            .orElseThrow())
                    .containsIgnoringCase("Secure")
                    .containsIgnoringCase("SameSite=Lax");
        }
        try (TestApp app = TestApp.signingInAt(provider, params -> {
            httpsCallback(params);
            params.put("configureSessionCookie", "false");
        })) {
            assertThat(new Browser()
                            .get(app.url("/me"))
                            .headers()
                            .firstValue("Set-Cookie")
                            .orElseThrow())
                    .doesNotContainIgnoringCase("SameSite")
                    .doesNotContainIgnoringCase("Secure");
        }
    }

    private static Consumer<Map<String, String>> syncHook(Class<?> hook) {
        return params -> params.put("syncHook", hook.getName());
    }

    private static void httpsCallback(Map<String, String> params) {
        params.put("callbackUrl", params.get("callbackUrl").replace("http://", "https://"));
    }

    @RolebridgeConfig(
            discoveryUri = "${sys:rolebridge.it.discoveryUri}",
            clientId = "legacy-app",
            clientSecret = "${env:ROLEBRIDGE_IT_UNSET_SECRET:-test-secret}",
            callbackUrl = "${sys:rolebridge.it.callbackUrl}",
            excludedPaths = "/public/*")
    static final class AnnotatedConfiguration {}

    @Test
    void annotationConfiguresAndRegistersTheFilterWithoutWebXml() {
        int port = TestApp.freePort();
        System.setProperty("rolebridge.it.discoveryUri", provider.discoveryUri());
        System.setProperty("rolebridge.it.callbackUrl", TestApp.callbackUrl(port));
        try (TestApp app = TestApp.withInitializer(port, new RolebridgeInitializer(), AnnotatedConfiguration.class)) {
            assertThat(app.started()).isTrue();
            Browser browser = new Browser();
            provider.nextLogin("sub-anno", Map.of("preferred_username", "anno", "groups", List.of("admin")));

            assertThat(browser.get(app.url("/public/x")).statusCode()).isEqualTo(200);
            assertThat(browser.open(app.url("/me?role=admin")).body()).contains("remoteUser=anno", "role.admin=true");
        } finally {
            System.clearProperty("rolebridge.it.discoveryUri");
            System.clearProperty("rolebridge.it.callbackUrl");
        }
    }

    @Test
    void customHookWrapsTheDefaultHook() {
        try (TestApp app = TestApp.signingInAt(provider, syncHook(HooksForTests.Wrapping.class))) {
            provider.nextLogin("sub-w", Map.of("preferred_username", "w", "groups", List.of("builder")));
            int before = HooksForTests.Wrapping.CALLS.get();

            String body = new Browser()
                    .open(app.url("/me?role=builder&role=admin&role=wrapped"))
                    .body();

            assertThat(body).contains("role.builder=true", "role.admin=false", "role.wrapped=true");
            assertThat(HooksForTests.Wrapping.CALLS.get()).isEqualTo(before + 1);
        }
    }

    @Test
    void failingHookFailsTheLoginWithAPageAndLeavesNoSession() {
        try (TestApp app = TestApp.signingInAt(provider, syncHook(HooksForTests.Failing.class))) {
            Browser browser = new Browser();
            provider.nextLogin("sub-f", Map.of("preferred_username", "f"));

            List<HttpResponse<String>> hops = browser.follow(app.url("/me"));
            HttpResponse<String> last = hops.get(hops.size() - 1);

            assertThat(last.uri().getPath()).isEqualTo("/app/callback");
            assertThat(last.statusCode()).isEqualTo(503);
            assertThat(last.body()).contains("Sign-in could not be completed").doesNotContain("database unavailable");
            HttpResponse<String> again = browser.get(app.url("/me"));
            assertThat(again.statusCode()).as("not signed in").isEqualTo(302);
        }
    }

    @Test
    void providerDownAtStartupThenBackLoginRecoversWithoutRestart() {
        int providerPort = TestApp.freePort();
        MockOAuth2Server late = new MockOAuth2Server();
        try (TestApp app = TestApp.signingInAt(provider, params -> {
            params.put(
                    "discoveryUri", "http://localhost:" + providerPort + "/default/.well-known/openid-configuration");
            params.put("excludedPaths", "/public/*");
            params.put("providerTimeoutMillis", "500");
        })) {
            assertThat(app.started())
                    .as("application starts without its provider")
                    .isTrue();
            Browser browser = new Browser();

            HttpResponse<String> down = browser.get(app.url("/me"));
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("Sign-in temporarily unavailable");
            assertThat(browser.get(app.url("/public/page")).statusCode()).isEqualTo(200);

            late.start(providerPort);
            HttpResponse<String> back = await("the provider is back")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> browser.get(app.url("/me")), response -> response.statusCode() != 503);
            assertThat(back.statusCode())
                    .as("redirect to the provider once it is back")
                    .isEqualTo(302);
            assertThat(back.headers().firstValue("Location").orElseThrow())
                    .startsWith("http://localhost:" + providerPort + "/default/authorize");
        } finally {
            late.shutdown();
        }
    }

    @Test
    void hookTakingTheContextReadsItsParametersWrapsTheBuiltInHookAndSeesTheStore() {
        try (TestApp app = TestApp.signingInAt(provider, params -> {
            params.put("syncHook", HooksForTests.WithContext.class.getName());
            params.put("syncHook.extraRole", "reader");
        })) {
            assertThat(app.started()).isTrue();
            String roles = "/me?role=builder&role=reader&role=returning";

            provider.nextLogin("sub-ctx", Map.of("preferred_username", "ctx", "groups", List.of("builder")));
            String first = new Browser().open(app.url(roles)).body();
            provider.nextLogin("sub-ctx", Map.of("preferred_username", "ctx", "groups", List.of("builder")));
            String second = new Browser().open(app.url(roles)).body();

            assertThat(first).contains("role.builder=true", "role.reader=true", "role.returning=false");
            assertThat(second).contains("role.builder=true", "role.reader=true", "role.returning=true");
        }
    }

    @Test
    void hookWithoutUsableConstructorStopsTheApplicationNamingTheShapes() {
        try (TestApp app = TestApp.signingInAt(
                provider, params -> params.put("syncHook", HooksForTests.NoConstructor.class.getName()))) {
            assertThat(app.started()).isFalse();
            assertThat(app.containerLog())
                    .contains("needs a public constructor taking a"
                            + " HookContext, or one taking a MembershipSyncHook (the built-in hook), or a public"
                            + " no-argument constructor");
        }
    }

    @Test
    void aStorageProblemComesInTheSameStartUpMessageAsASignInProblem() {
        try (TestApp app = TestApp.signingInAt(provider, params -> {
            params.put("clockSkewSeconds", "-5");
            params.put("jdbcUser", "app");
        })) {
            assertThat(app.started()).isFalse();
            assertThat(app.containerLog())
                    .contains("Rolebridge is misconfigured and will not start (2 problems)")
                    .contains("clockSkewSeconds: '-5' expected a whole number from 0 to 600")
                    .contains("jdbcUser: 'app' expected only together with jdbcUrl, which is not set");
        }
    }
}
