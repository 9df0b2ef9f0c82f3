package dev.rolebridge.internal.oidc;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.pac4j.core.client.IndirectClient;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.jee.context.JEEContext;

/**
 * pac4j's session store, except for the three values that tie a callback to the sign-in that started it:
 * {@code state}, {@code nonce} and the PKCE code verifier. pac4j keeps one of each per session, so a second
 * tab starting a sign-in breaks the first, and keeps them after use, so a replayed callback reaches the token
 * endpoint again. Here every sign-in started keeps its own triple (and the page it returns to), keyed by its state (at most
 * {@value #MAX_PENDING} per session, each for {@value #MAX_AGE_SECONDS} s), and a callback takes its triple out
 * of the session before anything else happens: each value works once.
 *
 * <p>Each sign-in is also bound to the browser that started it by a short-lived cookie of its own (random,
 * {@code HttpOnly}, {@code SameSite=Lax}, {@code __Host-} prefixed and {@code Secure} on https, named after
 * the sign-in's state): a callback completes only when that cookie comes with it, so a callback URL (or a
 * session) handed to another browser signs nobody in there.
 */
final class LoginStateStore implements SessionStore {

    static final String PENDING_ATTRIBUTE = "rolebridge.pendingLogins";
    static final int MAX_PENDING = 8;
    static final long MAX_AGE_SECONDS = 600;
    private static final String STARTING = LoginStateStore.class.getName() + ".starting";
    private static final String CONSUMED = LoginStateStore.class.getName() + ".consumed";
    static final String LOCK_ATTRIBUTE = "rolebridge.pendingLoginsLock";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COOKIE_PREFIX = "rb_signin_";

    private final SessionStore delegate;
    private final boolean secureCookies;
    private final String stateKey;
    private final String nonceKey;
    private final String verifierKey;
    private final Clock clock;

    LoginStateStore(
            SessionStore delegate,
            boolean secureCookies,
            String stateKey,
            String nonceKey,
            String verifierKey,
            Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.secureCookies = secureCookies;
        this.stateKey = stateKey;
        this.nonceKey = nonceKey;
        this.verifierKey = verifierKey;
    }

    /** One sign-in in progress. */
    static final class Pending implements Serializable {
        private static final long serialVersionUID = 1L;
        long started;
        String nonce;
        String verifier;
        String returnTo;
        String binding;
    }

    @Override
    public Optional<Object> get(WebContext context, String key) {
        if (key.equals(stateKey)) {
            return take(context)
                    .map(p -> new State(context.getRequestParameter("state").orElseThrow()));
        }
        if (key.equals(nonceKey)) {
            return consumed(context).map(p -> p.nonce);
        }
        if (key.equals(verifierKey)) {
            return consumed(context).map(p -> p.verifier == null ? null : new CodeVerifier(p.verifier));
        }
        if (key.equals(Pac4jConstants.REQUESTED_URL) && consumed(context).isPresent()) {
            return consumed(context).map(p -> p.returnTo);
        }
        return delegate.get(context, key);
    }

    @Override
    public void set(WebContext context, String key, Object value) {
        if (key.endsWith(IndirectClient.ATTEMPTED_AUTHENTICATION_SUFFIX)) {
            // pac4j answers the next request after a failed sign-in with a bare 401 to avoid loops; Rolebridge
            // shows an error page with a link instead, so following that link must start a new sign-in
            return;
        }
        if (key.equals(stateKey) || key.equals(nonceKey) || key.equals(verifierKey)) {
            if (value != null) {
                remember(context, key, value);
            }
            return;
        }
        delegate.set(context, key, value);
    }

    /** Stores one value of a sign-in being started; the state comes first and opens the entry. */
    private void remember(WebContext context, String key, Object value) {
        HttpServletRequest request = ((JEEContext) context).getNativeRequest();
        HttpSession session = request.getSession(true);
        synchronized (lockOf(session)) {
            Map<String, Pending> pending = pending(session);
            if (key.equals(stateKey)) {
                String state = ((State) value).getValue();
                Pending p = new Pending();
                p.started = clock.millis();
                // the page this sign-in returns to, saved just before; kept per sign-in so tabs do not mix up
                p.returnTo = delegate.get(context, Pac4jConstants.REQUESTED_URL)
                        .map(String::valueOf)
                        .orElse(null);
                byte[] random = new byte[32];
                RANDOM.nextBytes(random);
                p.binding = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                ((JEEContext) context)
                        .getNativeResponse()
                        .addCookie(cookie(request, state, p.binding, MAX_AGE_SECONDS));
                pending.put(state, p);
                request.setAttribute(STARTING, state);
                prune(pending);
            } else {
                Pending p = pending.get((String) request.getAttribute(STARTING));
                if (p == null) {
                    throw new IllegalStateException("pac4j stored " + key + " before the state");
                }
                if (key.equals(nonceKey)) {
                    p.nonce = value.toString();
                } else {
                    p.verifier = ((CodeVerifier) value).getValue();
                }
            }
            session.setAttribute(PENDING_ATTRIBUTE, pending); // written back for replicated sessions
        }
    }

    /** Takes the sign-in named by the request's state out of the session, once. */
    private Optional<Pending> take(WebContext context) {
        HttpServletRequest request = ((JEEContext) context).getNativeRequest();
        String state = request.getParameter("state");
        HttpSession session = request.getSession(false);
        if (state == null || session == null) {
            return Optional.empty();
        }
        Pending p;
        synchronized (lockOf(session)) {
            Map<String, Pending> pending = pending(session);
            p = pending.remove(state);
            session.setAttribute(PENDING_ATTRIBUTE, pending);
        }
        if (p == null || clock.millis() - p.started > MAX_AGE_SECONDS * 1000) {
            return Optional.empty();
        }
        HttpServletResponse response = ((JEEContext) context).getNativeResponse();
        String name = cookieName(state);
        String presented = null;
        if (request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (c.getName().equals(name)) {
                    presented = c.getValue();
                }
            }
        }
        response.addCookie(cookie(request, state, "", 0)); // spent, whatever happens next
        if (presented == null
                || p.binding == null
                || !MessageDigest.isEqual(
                        presented.getBytes(StandardCharsets.US_ASCII), p.binding.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty(); // started in another browser
        }
        request.setAttribute(CONSUMED, p);
        return Optional.of(p);
    }

    /** The cookie binding the sign-in of {@code state} to this browser ({@code maxAge} 0 deletes it). */
    private Cookie cookie(HttpServletRequest request, String state, String value, long maxAge) {
        Cookie cookie = new Cookie(cookieName(state), value);
        cookie.setHttpOnly(true);
        cookie.setAttribute("SameSite", "Lax"); // sent on the top-level redirect back from the provider
        cookie.setMaxAge((int) maxAge);
        if (secureCookies) {
            cookie.setSecure(true);
            cookie.setPath("/"); // required by the __Host- prefix
        } else {
            cookie.setPath(request.getContextPath().isEmpty() ? "/" : request.getContextPath());
        }
        return cookie;
    }

    /** Per sign-in, so several tabs can each have one; derived from the state, which the callback names. */
    private String cookieName(String state) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
            String tag = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(hash)
                    .substring(0, 16)
                    .replace('-', 'A')
                    .replace('_', 'B');
            return (secureCookies ? "__Host-" : "") + COOKIE_PREFIX + tag;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static Optional<Pending> consumed(WebContext context) {
        return Optional.ofNullable(
                (Pending) ((JEEContext) context).getNativeRequest().getAttribute(CONSUMED));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Pending> pending(HttpSession session) {
        Object existing = session.getAttribute(PENDING_ATTRIBUTE);
        return existing instanceof LinkedHashMap<?, ?> map ? (Map<String, Pending>) map : new LinkedHashMap<>();
    }

    private void prune(Map<String, Pending> pending) {
        long oldest = clock.millis() - MAX_AGE_SECONDS * 1000;
        pending.values().removeIf(p -> p.started < oldest);
        var it = pending.keySet().iterator();
        while (pending.size() > MAX_PENDING && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** A lock object kept in the session: containers hand out a new facade object per request. */
    private static Object lockOf(HttpSession session) {
        Object lock = session.getAttribute(LOCK_ATTRIBUTE);
        if (lock == null) {
            synchronized (LoginStateStore.class) {
                lock = session.getAttribute(LOCK_ATTRIBUTE);
                if (lock == null) {
                    lock = new Lock();
                    session.setAttribute(LOCK_ATTRIBUTE, lock);
                }
            }
        }
        return lock;
    }

    /** A serializable lock object kept in the session. */
    private static final class Lock implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public Optional<String> getSessionId(WebContext context, boolean createSession) {
        return delegate.getSessionId(context, createSession);
    }

    @Override
    public boolean destroySession(WebContext context) {
        return delegate.destroySession(context);
    }

    @Override
    public Optional<Object> getTrackableSession(WebContext context) {
        return delegate.getTrackableSession(context);
    }

    @Override
    public Optional<SessionStore> buildFromTrackableSession(WebContext context, Object trackableSession) {
        return delegate.buildFromTrackableSession(context, trackableSession)
                .map(store -> new LoginStateStore(store, secureCookies, stateKey, nonceKey, verifierKey, clock));
    }

    @Override
    public boolean renewSession(WebContext context) {
        return delegate.renewSession(context);
    }
}
