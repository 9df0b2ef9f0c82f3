package dev.rolebridge.web;

import static dev.rolebridge.web.LoginFlowIT.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.RolebridgeTestApp;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.ScriptedProvider.Signing;
import dev.rolebridge.testing.TestApp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The login path against a provider that answers whatever a test scripts: the OpenID RP conformance cases
 * for ID tokens and callbacks, replay, several tabs, redirects and exclusions. "Refused" means: an error
 * page (no stack trace, no redirect), and no signed-in session afterwards.
 */
class HardeningIT {

    @RegisterExtension
    static final RolebridgeTestApp<ScriptedProvider> app = RolebridgeTestApp.with(ScriptedProvider::new)
            .param("excludedPaths", "/public/*, *.js")
            .param("keepSessionAttributes", "cart")
            .param("crossSiteAllowedPaths", "/hooks/*");

    private Browser browser;

    private static ScriptedProvider provider() {
        return app.provider();
    }

    @BeforeEach
    void reset() {
        provider().reset();
        browser = new Browser();
    }

    private HttpResponse<String> signIn() {
        return browser.open(app.url("/me"));
    }

    private void assertRefused(HttpResponse<String> page, String reason) {
        assertThat(page.uri().getPath()).isEqualTo("/app/callback");
        assertThat(page.statusCode()).isBetween(400, 599);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.body()).contains(reason).doesNotContain("at org.").doesNotContain("Exception");
        HttpResponse<String> after = browser.get(app.url("/me"));
        assertThat(after.statusCode()).as("no signed-in session").isEqualTo(302);
    }

    private void assertSignedIn(HttpResponse<String> page) {
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("remoteUser=scripted-user");
    }

    @Test
    void wellFormedLoginSucceeds() {
        assertSignedIn(signIn());
    }

    @Test
    void wrongIssuerIsRefused() {
        provider().idTokenClaims(b -> b.issuer("http://127.0.0.1:1/other"));
        assertRefused(signIn(), "Unexpected JWT issuer");
    }

    @Test
    void missingSubjectIsRefused() {
        provider().rawIdTokenClaims(map("sub", null));
        assertRefused(signIn(), "Missing JWT subject");
    }

    @Test
    void wrongAudienceIsRefused() {
        provider().idTokenClaims(b -> b.audience("another-app"));
        assertRefused(signIn(), "Unexpected JWT audience");
    }

    @Test
    void missingAudienceIsRefused() {
        provider().rawIdTokenClaims(map("aud", null));
        assertRefused(signIn(), "Missing JWT audience");
    }

    @Test
    void anUntrustedExtraAudienceIsRefused() {
        provider()
                .idTokenClaims(b -> b.audience(List.of(ScriptedProvider.CLIENT_ID, "untrusted-api"))
                        .claim("azp", ScriptedProvider.CLIENT_ID));
        assertRefused(signIn(), "audience is not only this client");
    }

    @Test
    void authorizedPartyOtherThanThisClientIsRefused() {
        provider().idTokenClaims(b -> b.claim("azp", "someone-else"));
        assertRefused(signIn(), "another party");
    }

    @Test
    void missingIssueTimeIsRefused() {
        provider().rawIdTokenClaims(map("iat", null));
        assertRefused(signIn(), "Missing JWT issue time");
    }

    @Test
    void expiredTokenIsRefusedButWithinSkewAccepted() {
        provider().idTokenClaims(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(120))));
        assertRefused(signIn(), "Expired JWT");

        provider().idTokenClaims(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(10))));
        browser = new Browser();
        assertSignedIn(signIn());
    }

    @Test
    void issueTimeInTheFutureBeyondSkewIsRefusedWithinSkewAccepted() {
        provider().idTokenClaims(b -> b.issueTime(Date.from(Instant.now().plusSeconds(180))));
        assertRefused(signIn(), "issue time ahead of current time");

        provider().idTokenClaims(b -> b.issueTime(Date.from(Instant.now().plusSeconds(10))));
        browser = new Browser();
        assertSignedIn(signIn());
    }

    @Test
    void badRsaSignatureIsRefused() {
        provider().signing(Signing.RS256_WRONG_KEY);
        assertRefused(signIn(), "Invalid signature");
    }

    @Test
    void esSignedTokenIsAcceptedAndABadEsSignatureRefused() {
        provider().signing(Signing.ES256);
        assertSignedIn(signIn());

        provider().signing(Signing.ES256_WRONG_KEY);
        browser = new Browser();
        assertRefused(signIn(), "Invalid signature");
    }

    @Test
    void unsignedTokenIsRefused() {
        provider().signing(Signing.NONE);
        assertRefused(signIn(), "signed with &#39;none&#39;");
    }

    @Test
    void wrongNonceIsRefused() {
        provider().idTokenClaims(b -> b.claim("nonce", "not-the-nonce"));
        assertRefused(signIn(), "Unexpected JWT nonce");
    }

    @Test
    void missingNonceIsRefused() {
        provider().rawIdTokenClaims(map("nonce", null));
        assertRefused(signIn(), "Missing JWT nonce");
    }

    @Test
    void tokenWithoutKeyIdIsAcceptedWhenOneKeyFits() {
        provider().signing(Signing.RS256_NO_KID);
        assertSignedIn(signIn());
    }

    @Test
    void rotatedSigningKeyIsFetchedAndAccepted() {
        assertSignedIn(signIn());
        int fetches = provider().jwksRequests();
        provider().rotateRsaKey();

        browser = new Browser();
        assertSignedIn(signIn());
        assertThat(provider().jwksRequests()).isGreaterThan(fetches);
    }

    @Test
    void claimsWithJsonNullValuesInTheIdTokenOrUserInfoDoNotFailTheLogin() {
        provider().nullIdTokenClaims("middle_name", "locale");
        provider().userInfoClaims(map("nickname", null));

        assertSignedIn(signIn());
    }

    @Test
    void usersAreKeyedOnTheIdTokensRawSubject() {
        provider().idTokenClaims(b -> b.subject("org.pac4j.oidc.profile.OidcProfile#scripted-user"));

        HttpResponse<String> page = signIn();

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("subject=org.pac4j.oidc.profile.OidcProfile#scripted-user");
    }

    @Test
    void userInfoAboutAnotherSubjectIsRefused() {
        provider().userInfoSubject("someone-else");
        assertRefused(signIn(), "UserInfo response is about another subject");
    }

    @Test
    void tokenResponseWithoutIdTokenIsRefused() {
        provider().omitIdToken();
        assertRefused(signIn(), "the token response has no ID token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"tomorrow\"", "-5", "99999999999999999999", "1e300", "{\"a\":1}"})
    void absurdExpiryValuesAreRefusedCleanly(String exp) {
        provider().rawIdTokenClaims(map("exp", net.minidev.json.JSONValue.parse(exp)));
        HttpResponse<String> page = signIn();
        assertThat(page.statusCode()).isNotEqualTo(500);
        assertRefused(page, "Sign-in");
    }

    @Test
    void replayedCallbackIsRefusedWithoutReachingTheTokenEndpoint() {
        List<HttpResponse<String>> hops = browser.follow(URI.create(app.url("/me")));
        URI callback = hops.stream()
                .map(HttpResponse::uri)
                .filter(u -> u.getPath().equals("/app/callback"))
                .findFirst()
                .orElseThrow();
        int exchanges = provider().tokenRequests();

        HttpResponse<String> sameBrowser = browser.get(callback);
        HttpResponse<String> otherBrowser = new Browser().get(callback);

        assertThat(sameBrowser.statusCode()).isEqualTo(400);
        assertThat(otherBrowser.statusCode()).isEqualTo(400);
        assertThat(provider().tokenRequests()).isEqualTo(exchanges);
    }

    @Test
    void failedExchangeSpendsTheStateToo() {
        HttpResponse<String> toProvider = browser.get(app.url("/me"));
        HttpResponse<String> fromProvider =
                browser.get(toProvider.headers().firstValue("Location").orElseThrow());
        URI callback = URI.create(fromProvider.headers().firstValue("Location").orElseThrow());
        String forged = app.url("/callback?code=forged&state=" + param(callback.getRawQuery(), "state"));

        HttpResponse<String> first = browser.get(forged);
        int exchanges = provider().tokenRequests();
        HttpResponse<String> genuine = browser.get(callback);

        assertThat(first.statusCode()).isEqualTo(502);
        assertThat(genuine.statusCode())
                .as("the state was spent by the first attempt")
                .isEqualTo(400);
        assertThat(provider().tokenRequests()).isEqualTo(exchanges);
    }

    @Test
    void twoTabsStartingSignInsReturnToTheirOwnPagesAndTheFirstLoginDropsTheOtherSignIn() {
        HttpResponse<String> tabA = browser.get(app.url("/reports"));
        HttpResponse<String> tabB = browser.get(app.url("/settings"));

        HttpResponse<String> landedA =
                browser.open(tabA.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> landedB =
                browser.open(tabB.headers().firstValue("Location").orElseThrow());

        assertThat(landedA.uri().getPath()).isEqualTo("/app/reports");
        assertThat(landedA.body()).contains("remoteUser=scripted-user");
        assertThat(landedB.uri().getPath())
                .as("at login every other pending sign-in is dropped")
                .isEqualTo("/app/callback");
        assertThat(landedB.statusCode()).isEqualTo(400);
        assertThat(browser.get(app.url("/settings")).body())
                .as("still signed in by the first")
                .contains("remoteUser=scripted-user");
    }

    @Test
    void eachPendingSignInHasItsOwnShortLivedLaxHttpOnlyCookie() {
        HttpResponse<String> toProvider = browser.get(app.url("/reports"));

        assertThat(toProvider.headers().allValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c)
                        .startsWith("rb_signin_")
                        .contains("Max-Age=600", "Path=/app")
                        .containsIgnoringCase("HttpOnly")
                        .containsIgnoringCase("SameSite=Lax"));
    }

    @Test
    void aCallbackCompletesOnlyInTheBrowserThatStartedItEvenWithItsSessionCookie() {
        Browser attacker = new Browser();
        HttpResponse<String> toProvider = attacker.get(app.url("/me"));
        HttpResponse<String> fromProvider =
                attacker.get(toProvider.headers().firstValue("Location").orElseThrow());
        String callback = fromProvider.headers().firstValue("Location").orElseThrow();
        String attackerSession = attacker.cookie("JSESSIONID").orElseThrow();

        Browser victim = new Browser();
        victim.plantCookie(app.url("/"), "JSESSIONID", attackerSession, "/app");
        HttpResponse<String> completed = victim.get(callback);

        assertThat(completed.statusCode()).isEqualTo(400);
        assertThat(victim.get(app.url("/me")).statusCode())
                .as("the victim is not signed in")
                .isEqualTo(302);
    }

    @Test
    void aSessionIdInTheUrlNeverCompletesACallbackWhereTheContainerTracksSessionsByUrl() {
        try (TestApp other = TestApp.signingInAt(provider(), params -> params.put("configureSessionCookie", "false"))) {
            Browser attacker = new Browser();
            HttpResponse<String> toProvider = attacker.get(other.url("/me"));
            HttpResponse<String> fromProvider =
                    attacker.get(toProvider.headers().firstValue("Location").orElseThrow());
            URI callback =
                    URI.create(fromProvider.headers().firstValue("Location").orElseThrow());
            String attackerSession = attacker.cookie("JSESSIONID").orElseThrow();

            Browser victim = new Browser();
            HttpResponse<String> completed =
                    victim.get(other.url("/callback;jsessionid=" + attackerSession + "?" + callback.getRawQuery()));

            assertThat(completed.statusCode()).isEqualTo(400);
            assertThat(completed.body()).doesNotContain("remoteUser=");
            assertThat(victim.get(other.url("/me;jsessionid=" + attackerSession))
                            .statusCode())
                    .as("nor carries a signed-in session")
                    .isEqualTo(400);
        }
    }

    @Test
    void sessionRenewalKeepsOnlyAllowListedAttributes() {
        browser.get(app.url("/public/shop?set=cart"));
        browser.get(app.url("/public/shop?set=planted-by-attacker"));

        HttpResponse<String> page = browser.open(app.url("/me?show=cart&show=planted-by-attacker"));

        assertThat(page.body()).contains("attr.cart=planted", "attr.planted-by-attacker=null");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "//evil.example.net/",
                "/\\evil.example.net",
                "%2F%2Fevil.example.net",
                "%2F%5Cevil.example.net",
                "/%09/evil.example.net",
                "https://evil.example.net/",
                "http:%2F%2Fevil.example.net"
            })
    void logoutNeverFollowsARequestSuppliedTarget(String target) {
        HttpResponse<String> logout = browser.signOut(
                app.url("/logout?url=" + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8)));

        String location = logout.headers().firstValue("Location").orElseThrow();
        assertThat(location).doesNotContainIgnoringCase("evil");
        assertThat(location).startsWith(app.url("/"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/public/..;/admin",
                "/public/%2e%2e/admin",
                "/public/%2E%2E/admin",
                "/public;x=y/../admin",
                "//public/../admin",
                "/public/.%2e/admin"
            })
    void exclusionsCannotBeBypassedWithPathTricks(String path) {
        HttpResponse<String> response = browser.get(
                URI.create("http://localhost:" + URI.create(app.url("/")).getPort() + "/app" + path));

        assertThat(response.statusCode()).isIn(302, 400, 404);
        assertThat(response.body()).doesNotContain("remoteUser=");
    }

    @Test
    void unsafeRequestsFromAnotherSiteOrOriginToProtectedPathsAreRefusedUnlessAllowedThere() {
        assertSignedIn(signIn());

        HttpResponse<String> foreignOrigin =
                browser.postForm(app.url("/me"), Map.of("amount", "1"), "Origin", "http://evil.example.net");
        HttpResponse<String> crossSite = browser.postForm(
                app.url("/me"),
                Map.of("amount", "1"),
                "Sec-Fetch-Site",
                "cross-site",
                "Origin",
                app.url("/").replace("/app/", ""));
        HttpResponse<String> sameOrigin = browser.postForm(
                app.url("/me"),
                Map.of("amount", "1"),
                "Sec-Fetch-Site",
                "same-origin",
                "Origin",
                app.url("/").replace("/app/", ""));
        HttpResponse<String> noBrowserHeaders = browser.postForm(app.url("/me"), Map.of("amount", "1"));
        HttpResponse<String> allowedPath = browser.postForm(
                app.url("/hooks/payment"),
                Map.of("amount", "1"),
                "Origin",
                "https://payments.example.com",
                "Sec-Fetch-Site",
                "cross-site");

        assertThat(foreignOrigin.statusCode()).isEqualTo(403);
        assertThat(foreignOrigin.body()).contains("Request refused").doesNotContain("remoteUser=");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(sameOrigin.body()).contains("remoteUser=scripted-user");
        assertThat(noBrowserHeaders.body()).contains("remoteUser=scripted-user");
        assertThat(allowedPath.body()).contains("remoteUser=scripted-user");
    }

    @Test
    void extensionExclusionDoesNotReachAPrefixMappedServlet() {
        HttpResponse<String> api = browser.get(app.url("/api/users/1.js"));
        HttpResponse<String> asset = browser.get(app.url("/static/app.js"));

        assertThat(api.statusCode())
                .as("/api/* is a prefix mapping: the request is not an asset")
                .isEqualTo(302);
        assertThat(api.body()).doesNotContain("remoteUser=");
        assertThat(asset.statusCode())
                .as("served by the default servlet: excluded")
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/public//page",
                "//public/page",
                "/static//app.js",
                "/public/%2e/page",
                "/static/.%2e/app.js",
                "/public/a%252fb"
            })
    void pathsWithEmptySegmentsDotsOrEncodedSeparatorsAreNeverExcluded(String path) {
        HttpResponse<String> response = browser.get(
                URI.create("http://localhost:" + URI.create(app.url("/")).getPort() + "/app" + path));

        assertThat(response.statusCode()).isIn(302, 400, 404);
        assertThat(response.body()).doesNotContain("remoteUser=");
    }

    @Test
    void providerListingNoneDoesNotTakeLoginDownAndUnsignedTokensStayRefused() {
        provider().advertiseAlgorithms(List.of("none", "RS256"));
        try (TestApp other = TestApp.signingInAt(provider())) {
            assertThat(other.started()).isTrue();
            assertThat(browser.open(other.url("/me")).body()).contains("remoteUser=scripted-user");

            provider().signing(Signing.NONE);
            Browser second = new Browser();
            HttpResponse<String> refused = second.open(other.url("/me"));
            assertThat(refused.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void slowTokenEndpointGivesTemporarilyUnavailableWithinTheTimeoutAndRecovers() {
        try (TestApp other = TestApp.signingInAt(provider(), params -> params.put("providerTimeoutMillis", "300"))) {
            provider().tokenDelay(1500);
            HttpResponse<String> slow = browser.open(other.url("/me"));
            assertThat(slow.statusCode()).isEqualTo(503);
            assertThat(slow.body()).contains("temporarily unavailable");

            provider().tokenDelay(0);
            assertThat(new Browser().open(other.url("/me")).body()).contains("remoteUser=scripted-user");
        }
    }

    @Test
    void discoveredIssuerDifferentFromTheConfiguredOneStopsStartup() {
        provider().advertiseIssuer("http://127.0.0.1:1/elsewhere");
        try (TestApp other = TestApp.signingInAt(provider())) {
            assertThat(other.started()).isFalse();
            assertThat(other.containerLog()).contains("announces issuer 'http://127.0.0.1:1/elsewhere'");
        }
    }

    @Test
    void aLazyProviderStartUpThatFailsShowsTheErrorPageWith500NotAStackTrace() {
        provider().discoveryStatus(503);
        try (TestApp other = TestApp.signingInAt(provider())) {
            assertThat(other.started()).isTrue();
            provider().discoveryStatus(200);
            provider().advertiseIssuer("http://127.0.0.1:1/elsewhere");

            // 503 until the filter's next start-up attempt, a retry interval later
            HttpResponse<String> page = await("the filter's next start-up attempt")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> browser.get(other.url("/me")), response -> response.statusCode() != 503);

            assertThat(page.statusCode()).isEqualTo(500);
            assertThat(page.body())
                    .contains("Sign-in failed unexpectedly")
                    .doesNotContain("Exception")
                    .doesNotContain("at dev.")
                    .doesNotContain("at org.");
            assertThat(other.containerLog())
                    .as("the container reported nothing")
                    .doesNotContain("RolebridgeConfigurationException")
                    .doesNotContain("Servlet.service()");
        }
    }

    @Test
    void aRuntimeErrorInsidePac4jShowsTheErrorPageWith500NotAStackTrace() {
        provider().omitFromDiscovery("authorization_endpoint");
        try (TestApp other = TestApp.signingInAt(provider())) {
            assertThat(other.started()).isTrue();

            HttpResponse<String> page = browser.get(other.url("/me"));

            assertThat(page.statusCode()).isEqualTo(500);
            assertThat(page.body())
                    .contains("Sign-in failed unexpectedly")
                    .doesNotContain("Exception")
                    .doesNotContain("at org.");
            assertThat(other.containerLog()).doesNotContain("Servlet.service()");
        }
    }

    @Test
    void issuerIsCheckedAlsoWhenTheDiscoveryUrlHasNoWellKnownSuffix() {
        try (TestApp other = withoutWellKnownSuffix("http://127.0.0.1:1/elsewhere")) {
            assertThat(other.started()).isFalse();
            assertThat(other.containerLog())
                    .contains("announces issuer '" + provider().issuer() + "'", "'http://127.0.0.1:1/elsewhere'");
        }

        try (TestApp other = withoutWellKnownSuffix(provider().issuer())) {
            assertThat(other.started()).isTrue();
            assertThat(browser.open(other.url("/me")).body()).contains("remoteUser=scripted-user");
        }
    }

    private static TestApp withoutWellKnownSuffix(String issuer) {
        return TestApp.signingInAt(provider(), params -> {
            params.put("discoveryUri", provider().discoveryUriWithoutSuffix());
            params.put("issuer", issuer);
        });
    }

    @Test
    void providerMetadataNamingPlainHttpToAnotherHostStopsStartupUnlessAllowed() {
        provider().advertise("token_endpoint", "http://idp.example.net/op/token");
        try (TestApp other = TestApp.signingInAt(provider())) {
            assertThat(other.started()).isFalse();
            assertThat(other.containerLog())
                    .contains(
                            "discoveryUri: the provider's metadata names "
                                    + "token_endpoint 'http://idp.example.net/op/token', which uses http:// to 'idp.example.net'");
        }

        try (TestApp other = TestApp.signingInAt(provider(), params -> params.put("allowInsecureHttp", "true"))) {
            assertThat(other.started()).isTrue();
        }
    }

    @Test
    void pinnedAlgorithmTheProviderDoesNotOfferStopsStartup() {
        try (TestApp other = TestApp.signingInAt(provider(), params -> params.put("idTokenSigningAlg", "PS256"))) {
            assertThat(other.started()).isFalse();
            assertThat(other.containerLog()).contains("idTokenSigningAlg: 'PS256' is not offered by the provider");
        }
    }

    @Test
    void pinnedAlgorithmRefusesTokensSignedWithAnother() {
        try (TestApp other = TestApp.signingInAt(provider(), params -> params.put("idTokenSigningAlg", "ES256"))) {
            provider().signing(Signing.RS256);
            assertThat(browser.open(other.url("/me")).statusCode()).isEqualTo(401);
            provider().signing(Signing.ES256);
            assertThat(new Browser().open(other.url("/me")).body()).contains("remoteUser=scripted-user");
        }
    }

    private static Map<String, Object> map(String key, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put(key, value);
        return m;
    }
}
