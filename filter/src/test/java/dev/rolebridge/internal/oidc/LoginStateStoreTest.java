package dev.rolebridge.internal.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import jakarta.servlet.http.Cookie;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pac4j.jee.context.JEEContext;
import org.pac4j.jee.context.JEEFrameworkParameters;
import org.pac4j.jee.context.session.JEESessionStoreFactory;

class LoginStateStoreTest {

    private static final String STATE = "state-key";
    private static final String NONCE = "nonce-key";
    private static final String VERIFIER = "verifier-key";

    private final TestClock clock = new TestClock();
    private final FakeHttp.Session session = new FakeHttp.Session(0);

    /** Starts a sign-in in the session, as pac4j's redirect to the provider does; returns its binding cookie. */
    private Cookie start(String state) {
        FakeHttp.Request request = new FakeHttp.Request();
        request.session = session;
        FakeHttp.Response response = new FakeHttp.Response();
        JEEContext context = new JEEContext(request.proxy(), response.proxy());
        LoginStateStore store = store(request, response);
        store.set(context, STATE, new State(state));
        store.set(context, NONCE, "nonce-of-" + state);
        store.set(context, VERIFIER, new CodeVerifier());
        assertThat(response.cookies).hasSize(1);
        return response.cookies.get(0);
    }

    /** The callback of {@code state} from the browser holding {@code cookie}: whether the sign-in is found. */
    private boolean callback(String state, Cookie cookie) {
        FakeHttp.Request request = new FakeHttp.Request().parameter("state", state);
        request.session = session;
        request.cookies.add(cookie);
        FakeHttp.Response response = new FakeHttp.Response();
        JEEContext context = new JEEContext(request.proxy(), response.proxy());
        LoginStateStore store = store(request, response);
        boolean found = store.get(context, STATE).isPresent();
        if (found) {
            assertThat(store.get(context, NONCE)).contains("nonce-of-" + state);
            assertThat(store.get(context, VERIFIER)).isPresent();
        }
        return found;
    }

    private LoginStateStore store(FakeHttp.Request request, FakeHttp.Response response) {
        return new LoginStateStore(
                JEESessionStoreFactory.INSTANCE.newSessionStore(
                        new JEEFrameworkParameters(request.proxy(), response.proxy())),
                false,
                STATE,
                NONCE,
                VERIFIER,
                clock);
    }

    @Test
    void signInCompletesWithinItsMaximumAge() {
        Cookie cookie = start("s1");
        clock.advance(Duration.ofSeconds(LoginStateStore.MAX_AGE_SECONDS - 1));
        assertThat(callback("s1", cookie)).isTrue();
    }

    @Test
    void signInExpiresAfterItsMaximumAge() {
        Cookie cookie = start("s1");
        clock.advance(Duration.ofSeconds(LoginStateStore.MAX_AGE_SECONDS + 1));
        assertThat(callback("s1", cookie)).isFalse();
    }

    @Test
    void signInWorksOnce() {
        Cookie cookie = start("s1");
        assertThat(callback("s1", cookie)).isTrue();
        assertThat(callback("s1", cookie)).isFalse();
    }

    @Test
    void pendingSignInsAreLimitedPerSessionAndTheOldestIsDropped() {
        List<String> states = new java.util.ArrayList<>();
        List<Cookie> cookies = new java.util.ArrayList<>();
        for (int i = 0; i <= LoginStateStore.MAX_PENDING; i++) {
            states.add("s" + i);
            cookies.add(start("s" + i));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(callback(states.get(0), cookies.get(0)))
                .as("the oldest, beyond the limit")
                .isFalse();
        assertThat(callback(states.get(1), cookies.get(1))).isTrue();
        assertThat(callback(states.get(LoginStateStore.MAX_PENDING), cookies.get(LoginStateStore.MAX_PENDING)))
                .isTrue();
    }

    @Test
    void startingASignInDropsTheExpiredOnesEvenBelowTheLimit() {
        Cookie old = start("old");
        clock.advance(Duration.ofSeconds(LoginStateStore.MAX_AGE_SECONDS + 1));
        start("new");
        @SuppressWarnings("unchecked")
        var pending = (java.util.Map<String, ?>) session.attributes.get(LoginStateStore.PENDING_ATTRIBUTE);
        assertThat(pending).containsOnlyKeys("new");
        assertThat(callback("old", old)).isFalse();
    }

    @Test
    void callbackFromAnotherBrowserFindsNoSignIn() {
        Cookie own = start("s1");
        assertThat(callback("s1", new Cookie(own.getName(), "another-browsers-value")))
                .isFalse();
    }
}
