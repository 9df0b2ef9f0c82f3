package dev.rolebridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.Provider;
import dev.rolebridge.testing.RolebridgeTestApp;
import dev.rolebridge.testing.TestApp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole login path in a real Tomcat against a real in-process OpenID provider, driven by a real HTTP
 * client with cookies that follows the authorization-code flow hop by hop.
 */
class LoginFlowIT {

    @RegisterExtension
    static final RolebridgeTestApp<Provider> app = RolebridgeTestApp.with(Provider::new)
            .param("excludedPaths", "/public/*, *.css")
            .param("groupsClaim", "groups")
            .param("groupMappings", "engineers = all apps")
            .param("groupRoles", "all apps = builder");

    private Browser browser;

    private static Provider provider() {
        return app.provider();
    }

    @BeforeEach
    void newBrowser() {
        browser = new Browser();
    }

    @Test
    void unauthenticatedBrowserIsSentToProviderWithPkceStateAndNonce() {
        HttpResponse<String> response = browser.get(app.url("/reports?year=2026"));

        assertThat(response.statusCode()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(provider().issuer() + "/authorize");
        String query = location.getRawQuery();
        assertThat(query)
                .contains(
                        "response_type=code",
                        "client_id=legacy-app",
                        "code_challenge_method=S256",
                        "nonce=",
                        "code_challenge=");
        assertThat(param(query, "scope")).isEqualTo("openid profile email");
        assertThat(param(query, "state")).as("state carries at least 128 bits").hasSizeGreaterThanOrEqualTo(32);
        assertThat(param(query, "redirect_uri"))
                .isEqualTo(TestApp.callbackUrl(URI.create(app.url("/")).getPort()));
    }

    @Test
    void loginMapsProviderGroupsThroughThePersistedMappingIntoTheServletApi() {
        provider()
                .nextLogin("sub-alice", Map.of("preferred_username", "alice", "groups", List.of("admin", "engineers")));

        List<HttpResponse<String>> hops =
                browser.follow(app.url("/reports?role=admin&role=builder&role=end-user&role=engineers"));

        HttpResponse<String> page = hops.get(hops.size() - 1);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.uri().toString())
                .isEqualTo(app.url("/reports?role=admin&role=builder&role=end-user&role=engineers"));
        assertThat(page.body())
                .contains(
                        "remoteUser=alice",
                        "principal=alice",
                        "authType=OIDC",
                        "role.admin=true",
                        "role.builder=true",
                        "role.end-user=true",
                        "role.engineers=false");
        assertThat(hops)
                .extracting(h -> h.uri().getPath())
                .containsSubsequence("/app/reports", "/default/authorize", "/app/callback", "/app/reports");
    }

    @Test
    void mappedCustomGroupGrantsItsRole() {
        provider().nextLogin("sub-bob", Map.of("preferred_username", "bob", "groups", List.of("engineers")));

        HttpResponse<String> page = browser.open(app.url("/me?role=admin&role=builder&role=end-user"));

        assertThat(page.body())
                .contains("remoteUser=bob", "role.admin=false", "role.builder=true", "role.end-user=true");
    }

    @Test
    void usernameFallsBackToSubjectWithoutTheUsernameClaim() {
        provider().nextLogin("sub-nameless", Map.of("groups", List.of()));

        HttpResponse<String> page = browser.open(app.url("/me?role=admin&role=end-user"));

        assertThat(page.body()).contains("remoteUser=sub-nameless", "role.admin=false", "role.end-user=true");
    }

    @Test
    void sessionIdChangesAtLogin() {
        browser.get(app.url("/public/index.html")); // no session yet on excluded paths
        HttpResponse<String> redirect = browser.get(app.url("/me"));
        String before = cookie(redirect, "JSESSIONID");
        provider().nextLogin("sub-fix", Map.of("preferred_username", "fix"));

        HttpResponse<String> page = browser.open(app.url("/me"));

        assertThat(before).isNotNull();
        assertThat(page.body()).contains("remoteUser=fix").doesNotContain("session=" + before);
    }

    @Test
    void jsonAndXhrRequestsGet401InsteadOfARedirect() {
        HttpResponse<String> json = browser.get(app.url("/api/items"), "Accept", "application/json");
        HttpResponse<String> xhr = browser.get(app.url("/api/items"), "X-Requested-With", "XMLHttpRequest");

        assertThat(json.statusCode()).isEqualTo(401);
        assertThat(json.headers().firstValue("Location")).isEmpty();
        assertThat(xhr.statusCode()).isEqualTo(401);
    }

    @Test
    void excludedPathsAreReachableWithoutLogin() {
        HttpResponse<String> page = browser.get(app.url("/public/about"));
        HttpResponse<String> css = browser.get(app.url("/styles/site.css"));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("remoteUser=null");
        assertThat(css.statusCode()).isEqualTo(200);
    }

    @Test
    void exclusionsMatchTheNormalisedPathNotTheRawUri() {
        HttpResponse<String> dotDot = browser.get(app.url("/public/../admin"));
        HttpResponse<String> encoded = browser.get(app.url("/public/%2e%2e/admin"));

        assertThat(dotDot.statusCode()).isIn(302, 400);
        assertThat(encoded.statusCode()).isIn(302, 400);
        assertThat(dotDot.body()).doesNotContain("remoteUser=");
        assertThat(encoded.body()).doesNotContain("remoteUser=");
    }

    @Test
    void logoutEndsTheSessionAndSendsTheBrowserToTheProvidersLogout() {
        provider().nextLogin("sub-bob", Map.of("preferred_username", "bob"));
        assertThat(browser.open(app.url("/me")).body()).contains("remoteUser=bob");

        HttpResponse<String> logout = browser.signOut(app.url("/logout"));

        assertThat(logout.statusCode()).isEqualTo(302);
        String location = logout.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(provider().issuer() + "/endsession");
        assertThat(param(URI.create(location).getRawQuery(), "post_logout_redirect_uri"))
                .isEqualTo(app.url("/"));
        assertThat(location).contains("id_token_hint=");
        HttpResponse<String> after = browser.get(app.url("/me"));
        assertThat(after.statusCode()).as("session gone: back to the provider").isEqualTo(302);
        assertThat(after.headers().firstValue("Location").orElseThrow())
                .startsWith(provider().issuer());
    }

    @Test
    void logoutByGetOrFromAnotherOriginAsksWithAButtonAndNeverSignsOut() {
        provider().nextLogin("sub-carl", Map.of("preferred_username", "carl"));
        assertThat(browser.open(app.url("/me")).body()).contains("remoteUser=carl");
        String logout = app.url("/logout");

        HttpResponse<String> byGet = browser.get(logout);
        HttpResponse<String> foreignOrigin = browser.postForm(logout, Map.of(), "Origin", "http://evil.example.net");
        HttpResponse<String> crossSite = browser.postForm(logout, Map.of(), "Sec-Fetch-Site", "cross-site");
        HttpResponse<String> sameSiteOtherOrigin = browser.postForm(logout, Map.of(), "Sec-Fetch-Site", "same-site");
        HttpResponse<String> noOriginAtAll = browser.postForm(logout, Map.of());

        assertThat(byGet.statusCode()).isEqualTo(200);
        assertThat(byGet.body()).contains("<form method=\"post\" action=\"/app/logout\">", "Sign out</button>");
        assertThat(byGet.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(List.of(foreignOrigin, crossSite, sameSiteOtherOrigin, noOriginAtAll))
                .allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(403));
        assertThat(browser.get(app.url("/me")).body()).as("still signed in").contains("remoteUser=carl");

        HttpResponse<String> sameOrigin = browser.postForm(logout, Map.of(), "Sec-Fetch-Site", "same-origin");
        assertThat(sameOrigin.statusCode()).isEqualTo(302);
        assertThat(browser.get(app.url("/me")).statusCode()).as("signed out").isEqualTo(302);
    }

    @Test
    void logoutIgnoresAnUrlParameter() {
        HttpResponse<String> logout = browser.signOut(app.url("/logout?url=https://evil.example.net/"));

        assertThat(logout.headers().firstValue("Location").orElseThrow()).doesNotContain("evil");
    }

    @Test
    void providerErrorShowsAnErrorPageWithoutRedirectLoop() {
        HttpResponse<String> toProvider = browser.get(app.url("/me"));
        String state = param(
                URI.create(toProvider.headers().firstValue("Location").orElseThrow())
                        .getRawQuery(),
                "state");

        HttpResponse<String> callback = browser.get(app.url("/callback?error=access_denied"
                + "&error_description=User%20%3Cb%3Enot%3C%2Fb%3E%20allowed&state=" + state));

        assertThat(callback.statusCode()).isEqualTo(403);
        assertThat(callback.headers().firstValue("Location")).isEmpty();
        assertThat(callback.body())
                .contains("Sign-in was refused", "access_denied")
                .doesNotContain("<b>not</b>")
                .doesNotContain("Exception");
    }

    @Test
    void providerErrorDescriptionIsNeverShownVerbatim() {
        HttpResponse<String> described = browser.get(app.url("/callback?error=access_denied&error_description="
                + "Your%20account%20is%20locked.%20Call%20+1%20555%200100&state=x"));
        HttpResponse<String> phishingCode = browser.get(
                app.url("/callback?error=Your%20account%20is%20locked.%20" + "Call%20%2B1%20555%200100&state=x"));

        assertThat(described.statusCode()).isEqualTo(403);
        assertThat(described.body())
                .contains("access_denied", "The identity provider did not sign you in.")
                .doesNotContain("locked")
                .doesNotContain("555");
        assertThat(phishingCode.statusCode()).isEqualTo(502);
        assertThat(phishingCode.body())
                .contains("unrecognised error code")
                .doesNotContain("locked")
                .doesNotContain("555");
    }

    @Test
    void tamperedStateShowsAnErrorPageNotAStackTrace() {
        browser.get(app.url("/me"));

        HttpResponse<String> callback = browser.get(app.url("/callback?code=abc&state=forged"));

        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(callback.body()).contains("Sign-in expired").doesNotContain("at org.pac4j");
    }

    @Test
    void callbackWithoutAnySignInInProgressShowsAnErrorPage() {
        HttpResponse<String> callback = browser.get(app.url("/callback?code=abc&state=xyz"));

        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(callback.body()).contains("Sign-in expired");
    }

    @Test
    void tokenEndpointFailureShowsAnErrorPage() {
        HttpResponse<String> toProvider = browser.get(app.url("/me"));
        HttpResponse<String> fromProvider =
                browser.get(toProvider.headers().firstValue("Location").orElseThrow());
        String callbackUrl = fromProvider.headers().firstValue("Location").orElseThrow();
        String code = param(URI.create(callbackUrl).getRawQuery(), "code");
        String state = param(URI.create(callbackUrl).getRawQuery(), "state");

        // the code is spent once: a second exchange of the same code fails at the token endpoint
        HttpResponse<String> first = browser.get(callbackUrl);
        Browser other = new Browser();
        HttpResponse<String> otherStart = other.get(app.url("/me"));
        String otherState = param(
                URI.create(otherStart.headers().firstValue("Location").orElseThrow())
                        .getRawQuery(),
                "state");
        HttpResponse<String> replay = other.get(app.url("/callback?code=" + code + "&state=" + otherState));

        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(state).isNotEqualTo(otherState);
        assertThat(replay.statusCode()).isIn(401, 502);
        assertThat(replay.body()).contains("Sign-in").doesNotContain("at org.pac4j");
        assertThat(replay.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void callbackCarryingTokensInsteadOfACodeIsRefused() {
        HttpResponse<String> callback = browser.get(app.url("/callback?code=abc&state=xyz&access_token=leaked"));

        assertThat(callback.statusCode()).isEqualTo(401);
        assertThat(callback.body()).contains("only the authorization code flow is accepted");
    }

    @Test
    void repeatedProtocolParametersAreRefused() {
        HttpResponse<String> callback = browser.get(app.url("/callback?code=a&code=b&state=xyz"));

        assertThat(callback.statusCode()).isEqualTo(401);
        assertThat(callback.body()).contains("parameter &#39;code&#39; is repeated");
    }

    static String param(String rawQuery, String name) {
        Matcher m =
                Pattern.compile("(?:^|&)" + Pattern.quote(name) + "=([^&]*)").matcher(rawQuery);
        return m.find() ? java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    static String cookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') > 0 ? c.indexOf(';') : c.length()))
                .findFirst()
                .orElse(null);
    }
}
