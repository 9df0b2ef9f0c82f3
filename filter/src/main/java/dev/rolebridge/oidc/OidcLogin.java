package dev.rolebridge.oidc;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.config.RolebridgeSettings;
import dev.rolebridge.oidc.LoginFailedException.Reason;
import dev.rolebridge.sync.GroupsExtractor;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import dev.rolebridge.sync.MembershipSyncHook;
import dev.rolebridge.sync.SyncResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.authorization.authorizer.DefaultAuthorizers;
import org.pac4j.core.client.Clients;
import org.pac4j.core.config.Config;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.engine.DefaultCallbackLogic;
import org.pac4j.core.engine.DefaultLogoutLogic;
import org.pac4j.core.engine.DefaultSecurityLogic;
import org.pac4j.core.http.ajax.DefaultAjaxRequestResolver;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.core.matching.matcher.DefaultMatchers;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.profile.factory.ProfileManagerFactory;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.core.util.generator.RandomValueGenerator;
import org.pac4j.jee.context.JEEContext;
import org.pac4j.jee.context.JEEContextFactory;
import org.pac4j.jee.context.JEEFrameworkParameters;
import org.pac4j.jee.context.session.JEESessionStoreFactory;
import org.pac4j.jee.http.adapter.JEEHttpActionAdapter;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.exceptions.OidcMissingSessionStateException;
import org.pac4j.oidc.exceptions.OidcMissingStateParameterException;
import org.pac4j.oidc.exceptions.OidcStateMismatchException;
import org.pac4j.oidc.profile.OidcProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs users in through one OpenID Connect provider on pac4j's security, callback and logout logic, and
 * calls the {@link MembershipSyncHook} once per successful callback.
 *
 * <p>Every default that matters for security is set here rather than inherited: authorization code flow,
 * PKCE S256 (even when discovery does not advertise it), state and nonce, signed ID tokens only, explicit
 * client authentication, no {@code client_name} on the redirect URI, no CSRF matcher or authorizer, the
 * session renewed at login keeping only an allow-list of attributes, and provider metadata fetched with
 * bounded timeouts. The provider may be down when the application starts: metadata is fetched again, at most
 * once per {@value #RETRY_INTERVAL_MILLIS} ms, until it answers.
 */
public final class OidcLogin implements AutoCloseable {

    static final String PRINCIPAL_ATTRIBUTE = "rolebridge.principal";
    private static final Logger LOG = dev.rolebridge.Logs.escaping(LoggerFactory.getLogger(OidcLogin.class));
    private static final String CLIENT_NAME = "rolebridge";
    private static final long RETRY_INTERVAL_MILLIS = 2000;
    /** Ids step by 50 (the sequence's increment): this re-reads the last 20 or so logouts at each look. */
    private static final long LOGOUT_POLL_OVERLAP_IDS = 1000;
    /** Logout never follows a {@code url} parameter: the target is configured. */
    private static final String NO_LOGOUT_URL_PARAMETER = "(?!)";
    private static final Set<String> IMPLICIT_RESPONSE_PARAMETERS = Set.of("access_token", "id_token", "token_type");
    /** An OAuth error code as registered ones are written; anything else is not echoed. */
    private static final java.util.regex.Pattern ERROR_CODE = java.util.regex.Pattern.compile("[a-z0-9_]{1,64}");
    private static final List<String> SINGLE_VALUED = List.of("code", "state", "error", "iss", "session_state");

    private final RolebridgeSettings settings;
    private final MembershipSyncHook hook;
    private final GroupsExtractor groupsExtractor;
    private final OidcConfiguration oidc;
    private final OidcClient client;
    private final Config config;
    private final DefaultSecurityLogic securityLogic = new DefaultSecurityLogic();
    private final DefaultCallbackLogic callbackLogic;
    private final DefaultLogoutLogic logoutLogic = new DefaultLogoutLogic();
    private final String matchers;
    private final String defaultUrl;

    private final SessionRegistry sessions = new SessionRegistry();
    private final SharedLogouts sharedLogouts;
    private final java.util.concurrent.atomic.AtomicLong nextLogoutPoll = new java.util.concurrent.atomic.AtomicLong();
    /** The highest logout id handled; from 0, a node's first look replays the recorded logouts of the last day. */
    private volatile long logoutsSeenThrough;
    private volatile BackChannelLogout backChannel;
    private volatile boolean ready;
    private volatile long lastAttempt;

    /** Logs in through the configured provider; back-channel logouts are shared with the other nodes through {@code sharedLogouts}. */
    public OidcLogin(RolebridgeSettings settings, MembershipSyncHook hook, SharedLogouts sharedLogouts) {
        this.settings = settings;
        this.sharedLogouts = sharedLogouts;
        this.hook = hook;
        this.groupsExtractor = new GroupsExtractor(settings.groupsClaims());
        this.defaultUrl = settings.postLogoutRedirectUrl().toString();

        oidc = new OidcConfiguration();
        oidc.setClientId(settings.clientId());
        oidc.setSecret(settings.clientSecret());
        oidc.setClientAuthenticationMethod(ClientAuthenticationMethod.parse(settings.clientAuthMethod().value()));
        oidc.setScope(settings.scope());
        oidc.setResponseType("code");
        oidc.setResponseMode(null);
        oidc.setPkceMethod(CodeChallengeMethod.S256);
        oidc.setDisablePkce(false);
        oidc.setWithState(true);
        oidc.setStateGenerator(new RandomValueGenerator(32)); // pac4j's default is 10 hex digits, 40 bits
        oidc.setUseNonce(true);
        oidc.setAllowUnsignedIdTokens(false);
        oidc.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        oidc.setConnectTimeout(settings.providerTimeoutMillis());
        oidc.setReadTimeout(settings.providerTimeoutMillis());
        oidc.setResourceRetriever(new DefaultResourceRetriever(
                settings.providerTimeoutMillis(), settings.providerTimeoutMillis(), 512 * 1024));
        oidc.setCallUserInfoEndpoint(true);
        oidc.setIncludeAccessTokenClaimsInProfile(false);
        oidc.setExpireSessionWithToken(false); // the HTTP session's lifetime governs the login
        oidc.setLogoutValidation(true);
        if (settings.idTokenSigningAlg() != null) {
            oidc.setPreferredJwsAlgorithmAsString(settings.idTokenSigningAlg());
        }

        client = new TokenHandling.Client(oidc);
        client.setName(CLIENT_NAME);
        client.setCallbackUrl(settings.callbackUrl().toString());
        client.setCallbackUrlResolver(new NoParameterCallbackUrlResolver());
        client.setAjaxRequestResolver(new ApiRequestResolver());
        client.setMultiProfile(false);
        client.setMaxAttempts(-1);
        client.setMinTimeIntervalBetweenAttemptsInMilliseconds(0);
        client.addAuthorizationGenerator(this::syncMemberships);
        TokenHandling.install(client, oidc);

        Clients clients = new Clients(client);
        clients.setAjaxRequestResolver(new ApiRequestResolver());
        config = new Config(clients);
        config.setWebContextFactory(JEEContextFactory.INSTANCE);
        boolean https = "https".equalsIgnoreCase(settings.callbackUrl().getScheme());
        config.setSessionStoreFactory(parameters -> new LoginStateStore(
                JEESessionStoreFactory.INSTANCE.newSessionStore(parameters), https, client.getStateSessionAttributeName(),
                client.getNonceSessionAttributeName(), client.getCodeVerifierSessionAttributeName()));
        config.setHttpActionAdapter(JEEHttpActionAdapter.INSTANCE);
        config.setProfileManagerFactory(ProfileManagerFactory.DEFAULT);

        SameOriginReturn returnTo = new SameOriginReturn(settings.callbackUrl());
        callbackLogic = new AllowListCallbackLogic(settings.keepSessionAttributes());
        callbackLogic.setSavedRequestHandler(returnTo);
        securityLogic.setSavedRequestHandler(returnTo);
        matchers = settings.securityHeaders() ? DefaultMatchers.SECURITYHEADERS : DefaultMatchers.NONE;
        securityLogic.setLoadProfilesFromSession(true);
    }

    /**
     * Fetches the provider's metadata now. Returns {@code false}, after logging why, when the provider cannot
     * be reached; logins then retry by themselves.
     *
     * @throws RolebridgeConfigurationException when the provider's metadata contradicts the configuration
     */
    public boolean connect() {
        try {
            ensureReady(true);
            return true;
        } catch (LoginFailedException e) {
            LOG.warn("OpenID provider at {} is not reachable yet ({}); the application starts and sign-in will "
                    + "retry", settings.discoveryUri(), e.detail());
            return false;
        }
    }

    /**
     * Returns the signed-in user, or {@code null} after answering the request itself (a redirect to the
     * provider, or 401 for API and XHR requests).
     */
    public RolebridgePrincipal authenticate(HttpServletRequest request, HttpServletResponse response) {
        refuseUrlSessionId(request);
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(Pac4jConstants.USER_PROFILES) != null) {
            if (!sessions.contains(session) && !adopt(session)) {
                session = null; // restored or replicated, and logged out meanwhile
            }
        }
        if (session != null && session.getAttribute(Pac4jConstants.USER_PROFILES) != null) {
            pollSharedLogouts();
            if (request.getSession(false) == null) {
                session = null; // ended by a logout another node received
            }
        }
        if (session != null && session.getAttribute(Pac4jConstants.USER_PROFILES) != null) {
            if (perform(request, response) instanceof RolebridgePrincipal principal) {
                return principal;
            }
            if (response.isCommitted()) {
                return null;
            }
            session.invalidate(); // a profile Rolebridge did not make: start a fresh login
        }
        ensureReady(false);
        try {
            Object result = perform(request, response);
            return result instanceof RolebridgePrincipal principal ? principal : null;
        } catch (RuntimeException e) {
            // no provider response is processed here: what is not a known failure is a fault
            throw classify(e, Reason.INTERNAL);
        }
    }

    /**
     * The user this request's session is signed in as, or {@code null}; answers nothing and starts no login
     * (for the container's authentication module, which decides itself whether a user is needed).
     */
    public RolebridgePrincipal signedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || session.getAttribute(Pac4jConstants.USER_PROFILES) == null) {
            return null;
        }
        pollSharedLogouts();
        session = request.getSession(false); // ended by a logout another node received?
        Object profiles = session == null ? null : session.getAttribute(Pac4jConstants.USER_PROFILES);
        if (profiles instanceof Map<?, ?> map) {
            for (Object profile : map.values()) {
                if (profile instanceof UserProfile p && p.getAttribute(PRINCIPAL_ATTRIBUTE) instanceof RolebridgePrincipal principal) {
                    return principal;
                }
            }
        }
        return null;
    }

    /** Forgets the sign-in of this request's session, keeping the session ({@code request.logout()}). */
    public void forgetSignIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(Pac4jConstants.USER_PROFILES);
        }
    }

    private Object perform(HttpServletRequest request, HttpServletResponse response) {
        return securityLogic.perform(config, OidcLogin::grant, CLIENT_NAME, DefaultAuthorizers.NONE, matchers,
                new JEEFrameworkParameters(request, response));
    }

    private static Object grant(WebContext context, SessionStore store, Collection<UserProfile> profiles) {
        for (UserProfile profile : profiles) {
            if (profile.getAttribute(PRINCIPAL_ATTRIBUTE) instanceof RolebridgePrincipal principal) {
                return principal;
            }
        }
        return null;
    }

    /** Completes a login at the callback path: checks the response, exchanges the code, syncs, redirects. */
    public void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        refuseUrlSessionId(request);
        if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site")) && request.getRequestedSessionId() == null) {
            // a SameSite=Strict session cookie is not sent on the redirect back from a provider on another
            // site: one same-site step, from a page of this application, and it is
            SameSiteStep.send(request, response);
            return;
        }
        checkAuthorizationResponse(request);
        ensureReady(false);
        try {
            callbackLogic.perform(config, defaultUrl, true, CLIENT_NAME, new JEEFrameworkParameters(request, response));
        } catch (RuntimeException e) {
            throw classify(e, Reason.RESPONSE_REJECTED);
        }
        registerSession(request);
    }

    /**
     * A session id taken from the URL ({@code ;jsessionid=}, where the container tracks sessions that way) can
     * be handed to anyone: it never completes a callback nor carries a signed-in session.
     */
    private static void refuseUrlSessionId(HttpServletRequest request) {
        if (request.isRequestedSessionIdFromURL()) {
            throw new LoginFailedException(Reason.SESSION_STATE, "a session id in the URL is not accepted", null);
        }
    }

    /** Remembers the session a login just completed in (its id renewed), for back-channel logout. */
    private void registerSession(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            signedIn(session).ifPresent(who -> sessions.register(session, who.subject(), who.sid(),
                    System.currentTimeMillis()));
        }
    }

    private record SignedIn(String issuer, String subject, String sid) {
    }

    private static Optional<SignedIn> signedIn(HttpSession session) {
        if (session.getAttribute(Pac4jConstants.USER_PROFILES) instanceof Map<?, ?> map) {
            for (Object profile : map.values()) {
                if (profile instanceof OidcProfile p && p.getAttribute(PRINCIPAL_ATTRIBUTE) instanceof RolebridgePrincipal who) {
                    return Optional.of(new SignedIn(who.issuer(), who.subject(),
                            p.getAttribute("sid") instanceof String sid ? sid : null));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A signed-in session this node did not see being made: restored by the container after a restart (Tomcat
     * persists sessions by default) or replicated from another node. It is registered for back-channel logout,
     * after one look at the logouts recorded since it was created: one that names its {@code sid} or
     * {@code sub} ends it now.
     *
     * @return false when the session was ended
     */
    private boolean adopt(HttpSession session) {
        Optional<SignedIn> who = signedIn(session);
        if (who.isEmpty()) {
            return true; // not Rolebridge's: the security logic below starts a fresh login
        }
        long created = session.getCreationTime();
        try {
            for (SharedLogouts.Event e : sharedLogouts.since(Instant.ofEpochMilli(created), 1000)) {
                if (e.issuer().equals(who.get().issuer()) && (e.subject() == null || e.subject().equals(who.get().subject()))
                        && (e.sid() == null || e.sid().equals(who.get().sid())) && (e.subject() != null || e.sid() != null)) {
                    session.invalidate();
                    return false;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not check a restored session against the recorded logouts: {}", e.getMessage());
        }
        sessions.register(session, who.get().subject(), who.get().sid(), created);
        return true;
    }

    /**
     * Ends the local sessions that back-channel logouts received by other nodes named. Runs on the request
     * path at most once per {@code backChannelLogoutPollSeconds} per node (one query), never per request.
     */
    private void pollSharedLogouts() {
        long now = System.currentTimeMillis();
        long due = nextLogoutPoll.get();
        if (now < due || !nextLogoutPoll.compareAndSet(due, now + settings.backChannelLogoutPollSeconds() * 1000L)) {
            return;
        }
        try {
            // ordered by the database's sequence, not by any node's clock; a little overlap, as commits may land
            // out of id order, and ending a session twice is harmless
            List<SharedLogouts.Numbered> events = sharedLogouts.after(logoutsSeenThrough - LOGOUT_POLL_OVERLAP_IDS, 1000);
            long last = logoutsSeenThrough;
            for (SharedLogouts.Numbered numbered : events) {
                SharedLogouts.Event event = numbered.event();
                if (backChannel != null && backChannel.issuer().equals(event.issuer())) {
                    sessions.end(event.subject(), event.sid(), event.at().toEpochMilli());
                }
                last = Math.max(last, numbered.id());
            }
            logoutsSeenThrough = last;
        } catch (RuntimeException e) {
            LOG.warn("could not read the logouts other nodes received: {}", e.getMessage());
        }
    }

    /** Handles a back-channel logout token POSTed by the provider. */
    public void backChannelLogout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!ready) {
            try {
                ensureReady(false);
            } catch (LoginFailedException e) {
                response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                return;
            }
        }
        backChannel.handle(request, response);
    }

    /**
     * Ends the local session and, when configured and the provider offers it, the session at the provider
     * (RP-initiated logout); the browser lands on the configured post-logout URL.
     */
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        String idToken = currentIdToken(request);
        try {
            // local logout by pac4j; the provider's end-session redirect is built here, because pac4j logs it
            // (ID token included) at DEBUG
            logoutLogic.perform(config, defaultUrl, NO_LOGOUT_URL_PARAMETER, true, true, false,
                    new JEEFrameworkParameters(request, response));
        } catch (RuntimeException e) {
            LOG.warn("local logout failed, invalidating the session: {}", printable(String.valueOf(e), 200));
        } finally {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
        }
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Location", providerLogoutUrl(idToken).orElse(defaultUrl));
    }

    private static String currentIdToken(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object profiles = session == null ? null : session.getAttribute(Pac4jConstants.USER_PROFILES);
        if (profiles instanceof Map<?, ?> map) {
            for (Object profile : map.values()) {
                if (profile instanceof OidcProfile oidcProfile) {
                    return oidcProfile.getIdTokenString();
                }
            }
        }
        return null;
    }

    /** RP-initiated logout at the provider, when configured, offered by the provider and the session had an ID token. */
    private Optional<String> providerLogoutUrl(String idToken) {
        if (!settings.providerLogout() || !ready || idToken == null) {
            return Optional.empty();
        }
        URI endSession = oidc.getOpMetadataResolver().load().getEndSessionEndpointURI();
        if (endSession == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LogoutRequest(endSession, JWTParser.parse(idToken), settings.postLogoutRedirectUrl(), null)
                    .toURI().toString());
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            hook.close();
        } catch (Exception e) {
            LOG.warn("membership sync hook did not close cleanly: {}", e.toString());
        }
    }

    private void checkAuthorizationResponse(HttpServletRequest request) {
        for (String name : SINGLE_VALUED) {
            String[] values = request.getParameterValues(name);
            if (values != null && values.length > 1) {
                throw new LoginFailedException(Reason.RESPONSE_REJECTED, "parameter '" + name + "' is repeated", null);
            }
        }
        for (String name : IMPLICIT_RESPONSE_PARAMETERS) {
            if (request.getParameter(name) != null) {
                throw new LoginFailedException(Reason.RESPONSE_REJECTED,
                        "the response carries tokens; only the authorization code flow is accepted", null);
            }
        }
        String error = request.getParameter("error");
        if (error != null) {
            // error_description (and error_uri) are never shown nor logged: anyone can link to the callback
            // with text of their choosing, which would then appear on the application's own origin
            String code = ERROR_CODE.matcher(error).matches() ? error : "unrecognised error code";
            String detail = "provider error " + code;
            Reason reason = switch (code) {
                case "access_denied", "login_required", "consent_required", "interaction_required",
                        "account_selection_required" -> Reason.PROVIDER_DENIED;
                case "temporarily_unavailable", "server_error" -> Reason.PROVIDER_UNAVAILABLE;
                default -> Reason.PROVIDER_ERROR;
            };
            throw new LoginFailedException(reason, detail, null);
        }
        if (request.getParameter("code") == null) {
            throw new LoginFailedException(Reason.SESSION_STATE, "no authorization code in the request", null);
        }
    }

    private void ensureReady(boolean force) {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            long now = System.currentTimeMillis();
            if (!force && now - lastAttempt < RETRY_INTERVAL_MILLIS) {
                throw new LoginFailedException(Reason.PROVIDER_UNAVAILABLE, "provider metadata not available yet", null);
            }
            lastAttempt = now;
            OIDCProviderMetadata metadata;
            try {
                metadata = ProviderMetadata.fetch(settings);
            } catch (IOException e) {
                throw new LoginFailedException(Reason.PROVIDER_UNAVAILABLE, e.getMessage(), e);
            }
            ProviderKeys keys;
            try {
                if (metadata.getJWKSetURI() == null) {
                    throw new IllegalArgumentException("no jwks_uri");
                }
                keys = new ProviderKeys(metadata.getJWKSetURI().toURL(), oidc.getResourceRetriever(),
                        java.time.Clock.systemUTC());
            } catch (java.net.MalformedURLException | IllegalArgumentException e) {
                throw new RolebridgeConfigurationException(List.of("discoveryUri: the provider's jwks_uri '"
                        + metadata.getJWKSetURI() + "' is not a URL"));
            }
            var resolver = new TokenHandling.Metadata(oidc, metadata, keys);
            oidc.setOpMetadataResolver(resolver);
            resolver.init();
            client.init();
            backChannel = new BackChannelLogout(metadata, settings.clientId(), keys,
                    (int) settings.clockSkew().toSeconds(), sessions, sharedLogouts);
            ready = true;
            LOG.info("OpenID provider {} ready (client '{}', callback {})", metadata.getIssuer(), settings.clientId(),
                    settings.callbackUrl());
        }
    }

    /** The authorization generator pac4j runs after the code exchange: syncs, then decorates the profile. */
    private Optional<UserProfile> syncMemberships(CallContext ctx, UserProfile profile) {
        if (!(profile instanceof OidcProfile oidcProfile)) {
            throw new MembershipSyncException("unexpected profile type " + profile.getClass().getName());
        }
        Map<String, Object> idClaims = idTokenClaims(oidcProfile);
        checkIdTokenClaims(idClaims);
        Map<String, Object> claims = new LinkedHashMap<>(idClaims);
        oidcProfile.getAttributes().forEach(claims::putIfAbsent);
        // the ID token's own sub: pac4j strips a leading "org.pac4j...#" from profile ids
        String subject = (String) idClaims.get("sub");
        Object issuer = claims.get("iss");
        Object username = GroupsExtractor.resolve(claims, settings.usernameClaim());
        Object email = claims.get("email");
        LoginIdentity login = LoginIdentity.builder(issuer == null ? "" : issuer.toString(), subject,
                        username instanceof String s && !s.isBlank() ? s : subject)
                .email(email instanceof String e ? e : null)
                .groups(groupsExtractor.extract(idClaims, oidcProfile.getAttributes()))
                .claims(claims)
                .build();
        SyncResult result;
        try {
            result = hook.sync(login);
        } catch (MembershipSyncException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MembershipSyncException("membership sync hook failed for subject " + subject + ": " + e, e);
        }
        if (result == null) {
            throw new MembershipSyncException("membership sync hook returned no result for subject " + subject);
        }
        Set<String> roles = settings.mapping().requestRoles(result.roles(), result.groups());
        RolebridgePrincipal principal = new RolebridgePrincipal(login.username(), login.issuer(), subject,
                result.groups(), roles, result.primaryRole());
        oidcProfile.addAttribute(PRINCIPAL_ATTRIBUTE, principal);
        oidcProfile.setRoles(roles);
        LOG.info("signed in {} (subject {}): {} group(s), roles {}", principal.getName(), subject,
                result.groups().size(), result.roles());
        return Optional.of(oidcProfile);
    }

    /**
     * What pac4j's validation (signature, issuer, audience contains us, expiry, nonce) leaves out of OIDC Core
     * 3.1.3.7: every audience must be trusted (only this client is), {@code azp}, when present, must be this
     * client, and {@code sub} and {@code iat} must be present.
     */
    private void checkIdTokenClaims(Map<String, Object> claims) {
        String problem = null;
        Object aud = claims.get("aud");
        List<?> audiences = aud instanceof List<?> list ? list : aud == null ? List.of() : List.of(aud);
        if (audiences.isEmpty() || !audiences.stream().allMatch(settings.clientId()::equals)) {
            problem = "the ID token's audience is not only this client";
        } else if (claims.containsKey("azp") && !settings.clientId().equals(claims.get("azp"))) {
            problem = "the ID token was issued to another party (azp)";
        } else if (!(claims.get("sub") instanceof String sub) || sub.isBlank()) {
            problem = "the ID token has no subject";
        } else if (claims.get("iat") == null) {
            problem = "the ID token has no issue time (iat)";
        }
        if (problem != null) {
            throw new LoginFailedException(Reason.RESPONSE_REJECTED, problem, null);
        }
    }

    private static Map<String, Object> idTokenClaims(OidcProfile profile) {
        try {
            var idToken = profile.getIdToken();
            return idToken == null ? Map.of() : new HashMap<>(idToken.getJWTClaimsSet().getClaims());
        } catch (java.text.ParseException e) {
            throw new MembershipSyncException("the ID token's claims cannot be read", e);
        }
    }

    /**
     * Turns whatever pac4j or the hook threw into the failure the user's page explains; logs nothing.
     * {@code otherwise} is the reason for a failure of no known kind: on the callback a malformed response,
     * elsewhere an internal fault.
     */
    private static LoginFailedException classify(RuntimeException e, Reason otherwise) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LoginFailedException failed) {
                return failed;
            }
            if (t instanceof MembershipSyncException sync) {
                return new LoginFailedException(Reason.SYNC_FAILED, null, sync);
            }
            if (t instanceof RolebridgeConfigurationException config) {
                return new LoginFailedException(Reason.PROVIDER_ERROR, "the provider does not match the configuration",
                        config);
            }
            if (t instanceof OidcMissingSessionStateException || t instanceof OidcStateMismatchException
                    || t instanceof OidcMissingStateParameterException) {
                return new LoginFailedException(Reason.SESSION_STATE, "no sign-in in progress matches this response", e);
            }
            if (t instanceof IOException) {
                return new LoginFailedException(Reason.PROVIDER_UNAVAILABLE, t.getClass().getSimpleName(), e);
            }
        }
        if (otherwise == Reason.INTERNAL) {
            return new LoginFailedException(Reason.INTERNAL, null, e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "the response was malformed" : printable(root.getMessage(), 200);
        return new LoginFailedException(Reason.RESPONSE_REJECTED, message, e);
    }

    /** Keeps a value from the request safe to show and log: printable ASCII, bounded length. */
    static String printable(String value, int max) {
        String cleaned = value.replaceAll("[^\\x20-\\x7E]", "?");
        return cleaned.length() > max ? cleaned.substring(0, max) + "..." : cleaned;
    }

    /** Treats requests that ask for JSON, as well as XHR, as API calls that get 401 instead of a redirect. */
    private static final class ApiRequestResolver extends DefaultAjaxRequestResolver {
        @Override
        public boolean isAjax(CallContext ctx) {
            if (super.isAjax(ctx)) {
                return true;
            }
            var request = ((JEEContext) ctx.webContext()).getNativeRequest();
            if (request.getHeader("X-Requested-With") != null) {
                return true;
            }
            String accept = request.getHeader("Accept");
            return accept != null && accept.contains("application/json") && !accept.contains("text/html");
        }
    }

    /**
     * pac4j's callback logic, except that renewing the session id at login carries over only the login itself,
     * the URL to return to and the configured attributes, instead of every attribute (which would keep the
     * spent state, nonce and PKCE verifier, and anything an attacker planted in a pre-login session).
     */
    private static final class AllowListCallbackLogic extends DefaultCallbackLogic {
        private final Set<String> keep;

        AllowListCallbackLogic(Set<String> configured) {
            Set<String> names = new java.util.HashSet<>(configured);
            names.add(Pac4jConstants.USER_PROFILES);
            names.add(Pac4jConstants.REQUESTED_URL);
            // not the other sign-ins in progress: at login every other pending sign-in of the session is dropped
            keep = Collections.unmodifiableSet(names);
        }

        @Override
        protected void renewSession(CallContext ctx, Config config) {
            HttpServletRequest request = ((JEEContext) ctx.webContext()).getNativeRequest();
            HttpSession old = request.getSession(false);
            Map<String, Object> kept = new HashMap<>();
            if (old != null) {
                for (Enumeration<String> names = old.getAttributeNames(); names.hasMoreElements(); ) {
                    String name = names.nextElement();
                    if (keep.contains(name)) {
                        kept.put(name, old.getAttribute(name));
                    }
                }
                old.invalidate();
            }
            HttpSession fresh = request.getSession(true);
            kept.forEach(fresh::setAttribute);
        }
    }
}
