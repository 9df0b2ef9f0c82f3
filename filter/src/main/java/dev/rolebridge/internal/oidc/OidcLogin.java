package dev.rolebridge.internal.oidc;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.config.RolebridgeSettings;
import dev.rolebridge.internal.oidc.LoginFailedException.Reason;
import dev.rolebridge.internal.sync.DefaultSyncHook;
import dev.rolebridge.sync.MembershipSyncHook;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import org.pac4j.core.authorization.authorizer.DefaultAuthorizers;
import org.pac4j.core.client.Clients;
import org.pac4j.core.config.Config;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.engine.DefaultCallbackLogic;
import org.pac4j.core.engine.DefaultSecurityLogic;
import org.pac4j.core.matching.matcher.DefaultMatchers;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.profile.factory.ProfileManagerFactory;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.jee.context.JEEContextFactory;
import org.pac4j.jee.context.JEEFrameworkParameters;
import org.pac4j.jee.context.session.JEESessionStoreFactory;
import org.pac4j.jee.http.adapter.JEEHttpActionAdapter;
import org.pac4j.oidc.client.OidcClient;

/**
 * Signs users in through one OpenID Connect provider on pac4j's security, callback and logout logic, for
 * the filter and the container's authentication module:
 *
 * <pre>{@code
 * OidcLogin login = new OidcLogin(settings, hook, sharedLogouts);
 * login.connect();                                  // at start-up; false when the provider is down
 * RolebridgePrincipal who = login.authenticate(request, response); // null: the response is answered
 * }</pre>
 *
 * <p>The parts: {@link ProviderConnection} (the pac4j client and its connection to the provider, retried),
 * {@link AuthorizationResponse} (the callback's checks before pac4j), {@link SignInSync} (the membership sync
 * at each callback), {@link SessionRegistry} (signed-in sessions, restored ones, logouts other nodes
 * received), {@link RoleRefresh} (roles re-read from the store in live sessions, deactivated users signed out),
 * {@link SignOut} (local and RP-initiated logout) and {@link BackChannelLogout}. pac4j's CSRF
 * matcher and authorizer are off; at login the session is renewed keeping only an allow-list of attributes
 * ({@link AllowListCallbackLogic}), and each sign-in keeps its own state, nonce and PKCE verifier
 * ({@link LoginStateStore}).
 */
public final class OidcLogin implements AutoCloseable {

    private final ProviderConnection provider;
    private final SignInSync sync;
    private final Clock clock;
    private final SessionRegistry sessions;
    private final RoleRefresh roles;
    private final SignOut signOut;
    private final Config config;
    private final DefaultSecurityLogic securityLogic = new DefaultSecurityLogic();
    private final DefaultCallbackLogic callbackLogic;
    private final String matchers;
    private final boolean securityHeaders;
    private final String defaultUrl;

    /**
     * Logs in through the configured provider, syncing each login through {@code hook} ({@code builtIn} or a
     * custom hook); signed-in sessions refresh their roles from {@code builtIn}'s store
     * ({@code roleRefreshSeconds}), and back-channel logouts are shared with the other nodes through
     * {@code sharedLogouts}.
     */
    public OidcLogin(
            RolebridgeSettings settings,
            MembershipSyncHook hook,
            DefaultSyncHook builtIn,
            SharedLogouts sharedLogouts) {
        this(settings, hook, builtIn, sharedLogouts, Clock.systemUTC());
    }

    OidcLogin(
            RolebridgeSettings settings,
            MembershipSyncHook hook,
            DefaultSyncHook builtIn,
            SharedLogouts sharedLogouts,
            Clock clock) {
        this.clock = clock;
        this.defaultUrl = settings.postLogoutRedirectUrl().toString();
        this.sync = new SignInSync(settings, hook);
        this.sessions =
                new SessionRegistry(sharedLogouts, Duration.ofSeconds(settings.backChannelLogoutPollSeconds()), clock);
        this.roles = new RoleRefresh(
                builtIn::standing,
                settings.mapping(),
                hook == builtIn,
                Duration.ofSeconds(settings.roleRefreshSeconds()),
                clock);
        if (roles.enabled()) {
            builtIn.addChangeListener(this::userChanged);
        }
        this.provider = new ProviderConnection(settings, sync, sessions, sharedLogouts, clock);
        OidcClient client = provider.client();

        Clients clients = new Clients(client);
        clients.setAjaxRequestResolver(ProviderConnection.API_REQUESTS);
        config = new Config(clients);
        config.setWebContextFactory(JEEContextFactory.INSTANCE);
        boolean https = "https".equalsIgnoreCase(settings.callbackUrl().getScheme());
        config.setSessionStoreFactory(parameters -> new LoginStateStore(
                JEESessionStoreFactory.INSTANCE.newSessionStore(parameters),
                https,
                client.getStateSessionAttributeName(),
                client.getNonceSessionAttributeName(),
                client.getCodeVerifierSessionAttributeName(),
                clock));
        config.setHttpActionAdapter(JEEHttpActionAdapter.INSTANCE);
        config.setProfileManagerFactory(ProfileManagerFactory.DEFAULT);

        SameOriginReturn returnTo = new SameOriginReturn(settings.callbackUrl());
        callbackLogic = new AllowListCallbackLogic(settings.keepSessionAttributes());
        callbackLogic.setSavedRequestHandler(returnTo);
        securityLogic.setSavedRequestHandler(returnTo);
        securityLogic.setLoadProfilesFromSession(true);
        securityHeaders = settings.securityHeaders();
        matchers = securityHeaders ? DefaultMatchers.SECURITYHEADERS : DefaultMatchers.NONE;
        signOut = new SignOut(settings, config, provider);
    }

    /**
     * Fetches the provider's metadata now. Returns {@code false}, after logging why, when the provider cannot
     * be reached; logins then retry by themselves.
     *
     * @throws RolebridgeConfigurationException when the provider's metadata contradicts the configuration
     */
    public boolean connect() {
        return provider.connect();
    }

    /**
     * Returns the signed-in user, or {@code null} after answering the request itself (a redirect to the
     * provider, or 401 for API and XHR requests). A session that is signed in costs reading it and, for role
     * freshness and shared logouts, a comparison or two: no pac4j logic, no database between refreshes; only a
     * request without a sign-in runs pac4j's security logic.
     */
    public RolebridgePrincipal authenticate(HttpServletRequest request, HttpServletResponse response) {
        AuthorizationResponse.refuseUrlSessionId(request);
        HttpSession session = request.getSession(false);
        if (session != null) {
            RolebridgePrincipal principal = upToDate(session);
            if (principal == null && hasSignIn(session)) {
                principal = signedInAlready(session);
            }
            if (principal != null) {
                if (securityHeaders) {
                    SecurityHeaders.add(request, response);
                }
                return principal;
            }
        }
        provider.ensureReady();
        try {
            Object result = perform(request, response);
            return result instanceof RolebridgePrincipal principal ? principal : null;
        } catch (RuntimeException e) {
            // no provider response is processed here: what is not a known failure is a fault
            throw LoginFailedException.classify(e, Reason.INTERNAL);
        }
    }

    /**
     * The fast path: the principal of a signed-in session that this node registered and that need not look at
     * the store or the shared logouts yet, else {@code null}. One session attribute read, one clock read compared
     * with the state's and the poll's due times, and a reference comparison that says this node registered the
     * session (its registry is looked up once per state): no pac4j logic, no profile, no database.
     */
    private RolebridgePrincipal upToDate(HttpSession session) {
        long now = clock.millis();
        RoleRefresh.Fresh fresh = roles.upToDate(session, now);
        return fresh != null && !sessions.pollDue(now) && sessions.contains(session, fresh) ? fresh.principal() : null;
    }

    /**
     * The way of a signed-in session when the fast path does not answer: it adopts a session restored or
     * replicated from elsewhere, looks at the shared logouts and at the store when they are due. {@code null}
     * when the request must sign in after all: its session was ended by a logout (recorded while it was away, or
     * received by another node), its user was deactivated, or it holds a profile Rolebridge did not make (that
     * session is ended here).
     */
    private RolebridgePrincipal signedInAlready(HttpSession session) {
        if (!sessions.contains(session) && !sessions.adopt(session)) {
            return null; // restored or replicated, and logged out meanwhile
        }
        sessions.pollSharedLogouts(provider.issuer());
        if (!SessionRegistry.isValid(session)) {
            return null; // ended by a logout another node received
        }
        if (!roles.refresh(session)) {
            return null; // the user was deactivated; the login that follows is refused
        }
        RolebridgePrincipal principal = SessionRegistry.principal(session);
        if (principal == null) {
            session.invalidate(); // a profile Rolebridge did not make: start a fresh login
            return null;
        }
        return roles.current(session, principal);
    }

    private static boolean hasSignIn(HttpSession session) {
        return session != null && session.getAttribute(Pac4jConstants.USER_PROFILES) != null;
    }

    /**
     * The user this request's session is signed in as, or {@code null}; answers nothing and starts no login
     * (for the container's authentication module, which decides itself whether a user is needed).
     */
    public RolebridgePrincipal signedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        RolebridgePrincipal principal = upToDate(session);
        if (principal != null || !hasSignIn(session)) {
            return principal;
        }
        sessions.pollSharedLogouts(provider.issuer());
        if (!SessionRegistry.isValid(session) || !roles.refresh(session)) {
            return null; // ended by a logout another node received, or the user was deactivated
        }
        principal = SessionRegistry.principal(session);
        return principal == null ? null : roles.current(session, principal);
    }

    /**
     * A change of a user that this node made through the store: their sessions here look at the store at their
     * next request, or, for a deactivation, end now.
     */
    private void userChanged(String issuer, String subject, boolean active) {
        if (!issuer.equals(provider.issuer())) {
            return;
        }
        if (active) {
            sessions.forEachOf(subject, RoleRefresh::due);
        } else {
            sessions.end(subject, null);
        }
    }

    /** Forgets the sign-in of this request's session, keeping the session ({@code request.logout()}). */
    public void forgetSignIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(Pac4jConstants.USER_PROFILES);
            session.removeAttribute(RoleRefresh.ATTRIBUTE);
        }
    }

    private Object perform(HttpServletRequest request, HttpServletResponse response) {
        return securityLogic.perform(
                config,
                OidcLogin::grant,
                ProviderConnection.CLIENT_NAME,
                DefaultAuthorizers.NONE,
                matchers,
                new JEEFrameworkParameters(request, response));
    }

    private static Object grant(WebContext context, SessionStore store, Collection<UserProfile> profiles) {
        for (UserProfile profile : profiles) {
            RolebridgePrincipal principal = SignInSync.principalOf(profile);
            if (principal != null) {
                return principal;
            }
        }
        return null;
    }

    /** Completes a login at the callback path: checks the response, exchanges the code, syncs, redirects. */
    public void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AuthorizationResponse.refuseUrlSessionId(request);
        if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))
                && request.getRequestedSessionId() == null) {
            // a SameSite=Strict session cookie is not sent on the redirect back from a provider on another
            // site: one same-site step, from a page of this application, and it is
            SameSiteStep.send(request, response);
            return;
        }
        AuthorizationResponse.check(request);
        provider.ensureReady();
        try {
            callbackLogic.perform(
                    config,
                    defaultUrl,
                    true,
                    ProviderConnection.CLIENT_NAME,
                    new JEEFrameworkParameters(request, response));
        } catch (RuntimeException e) {
            throw LoginFailedException.classify(e, Reason.RESPONSE_REJECTED);
        }
        HttpSession session = request.getSession(false);
        sessions.registerSignedIn(session);
        if (session != null) {
            roles.signedIn(
                    session,
                    SessionRegistry.principal(session),
                    request.getAttribute(RoleRefresh.VERSION_ATTRIBUTE) instanceof Long version
                            ? version
                            : RoleRefresh.UNKNOWN_VERSION);
        }
    }

    /** Handles a back-channel logout token POSTed by the provider (503 while the provider cannot be reached). */
    public void backChannelLogout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        BackChannelLogout backChannel;
        try {
            backChannel = provider.backChannel();
        } catch (LoginFailedException e) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        backChannel.handle(request, response);
    }

    /**
     * Ends the local session and, when configured and the provider offers it, the session at the provider
     * (RP-initiated logout); the browser lands on the configured post-logout URL.
     */
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        signOut.perform(request, response);
    }

    @Override
    public void close() {
        sync.close();
    }
}
