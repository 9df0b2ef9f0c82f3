package dev.rolebridge.web;

import static dev.rolebridge.web.LoginFlowIT.param;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rolebridge.testing.Browser;
import dev.rolebridge.testing.RolebridgeTestApp;
import dev.rolebridge.testing.ScriptedProvider;
import dev.rolebridge.testing.ScriptedProvider.Signing;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OpenID Connect Back-Channel Logout 1.0 against the scripted provider, in a real Tomcat. */
class BackChannelLogoutIT {

    @RegisterExtension
    static final RolebridgeTestApp<ScriptedProvider> app = RolebridgeTestApp.with(ScriptedProvider::new);

    private static ScriptedProvider provider() {
        return app.provider();
    }

    @BeforeEach
    void reset() {
        provider().reset();
    }

    /** Signs a new browser in and returns it with the provider session id ({@code sid}) of its login. */
    private record SignedIn(Browser browser, String sid) {
        boolean stillSignedIn() {
            return browser.get(app.url("/me")).statusCode() == 200;
        }
    }

    private static SignedIn signIn(String subject) {
        provider().nextSubject(subject);
        Browser browser = new Browser();
        HttpResponse<String> toProvider = browser.get(app.url("/me"));
        String state = param(
                URI.create(toProvider.headers().firstValue("Location").orElseThrow())
                        .getRawQuery(),
                "state");
        HttpResponse<String> page =
                browser.open(toProvider.headers().firstValue("Location").orElseThrow());
        assertThat(page.body()).contains("remoteUser=" + subject);
        return new SignedIn(browser, ScriptedProvider.sidOf(state));
    }

    private static HttpResponse<String> postLogout(Map<String, Object> changes, Signing signing) {
        return postLogout(provider().logoutToken(changes, signing));
    }

    private static HttpResponse<String> postLogout(String token) {
        return provider().sendLogout(app.url("/backchannel-logout"), token);
    }

    private static Map<String, Object> claims(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void unknownKeyIdsInLogoutAndIdTokensFetchTheKeySetAtMostOnceForTheWholeFilter() {
        signIn("kid-ann"); // the key set is loaded
        int before = provider().jwksRequests();

        for (int i = 0; i < 8; i++) {
            assertThat(postLogout(claims("sub", "kid-ann"), Signing.RS256_UNKNOWN_KID)
                            .statusCode())
                    .isEqualTo(400);
        }
        provider().signing(Signing.RS256_UNKNOWN_KID);
        for (int i = 0; i < 3; i++) {
            assertThat(new Browser().open(app.url("/me")).statusCode()).isEqualTo(401);
        }

        assertThat(provider().jwksRequests() - before)
                .as("key-set fetches for 11 tokens with unknown key ids")
                .isLessThanOrEqualTo(1);
    }

    @Test
    void logoutTokenWithSidEndsThatSessionOnlyEvenThoughItsIdWasRenewedAtLogin() {
        SignedIn first = signIn("ann");
        SignedIn second = signIn("ann");

        HttpResponse<String> response = postLogout(claims("sub", "ann", "sid", first.sid()), Signing.RS256);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(first.stillSignedIn()).isFalse();
        assertThat(second.stillSignedIn()).isTrue();
    }

    @Test
    void logoutTokenWithOnlySubEndsEverySessionOfThatUser() {
        SignedIn a = signIn("ben");
        SignedIn b = signIn("ben");
        SignedIn other = signIn("cat");

        assertThat(postLogout(claims("sub", "ben"), Signing.RS256).statusCode()).isEqualTo(200);

        assertThat(a.stillSignedIn()).isFalse();
        assertThat(b.stillSignedIn()).isFalse();
        assertThat(other.stillSignedIn()).isTrue();
    }

    @Test
    void replayedLogoutTokenIsRefused() {
        SignedIn user = signIn("dan");
        String token = provider().logoutToken(claims("sub", "dan"), Signing.RS256);

        HttpResponse<String> first = postLogout(token);
        SignedIn again = signIn("dan");
        HttpResponse<String> replay = postLogout(token);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(user.stillSignedIn()).isFalse();
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(again.stillSignedIn()).isTrue();
    }

    @Test
    void invalidLogoutTokensAreRefusedAndEndNothing() {
        SignedIn user = signIn("eve");
        Map<String, Map<String, Object>> cases = Map.of(
                "wrong issuer", claims("sub", "eve", "iss", "http://127.0.0.1:1/other"),
                "wrong audience", claims("sub", "eve", "aud", "another-app"),
                "no events", claims("sub", "eve", "events", null),
                "nonce present", claims("sub", "eve", "nonce", "n"),
                "neither sid nor sub", claims(),
                "no iat", claims("sub", "eve", "iat", null),
                "no jti", claims("sub", "eve", "jti", null));

        cases.forEach(
                (name, changes) -> assertThat(postLogout(changes, Signing.RS256).statusCode())
                        .as(name)
                        .isEqualTo(400));
        assertThat(postLogout(claims("sub", "eve"), Signing.RS256_WRONG_KEY).statusCode())
                .as("bad signature")
                .isEqualTo(400);
        assertThat(postLogout(claims("sub", "eve"), Signing.NONE).statusCode())
                .as("unsigned")
                .isEqualTo(400);
        assertThat(user.stillSignedIn()).isTrue();
    }

    @Test
    void backChannelLogoutTakesOnlyPost() {
        assertThat(new Browser().get(app.url("/backchannel-logout")).statusCode())
                .isEqualTo(405);
    }
}
