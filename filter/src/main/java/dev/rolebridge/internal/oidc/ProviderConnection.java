package dev.rolebridge.internal.oidc;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.Throttle;
import dev.rolebridge.internal.config.RolebridgeSettings;
import dev.rolebridge.internal.oidc.LoginFailedException.Reason;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.pac4j.core.authorization.generator.AuthorizationGenerator;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.http.ajax.AjaxRequestResolver;
import org.pac4j.core.http.ajax.DefaultAjaxRequestResolver;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.core.util.generator.RandomValueGenerator;
import org.pac4j.jee.context.JEEContext;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pac4j client for the configured provider and its connection to it. Every default that matters for
 * security is set here rather than inherited: authorization code flow, PKCE S256 (even when discovery does
 * not advertise it), state and nonce, signed ID tokens only, explicit client authentication, no
 * {@code client_name} on the redirect URI, and provider metadata fetched with bounded timeouts.
 *
 * <p>The provider may be down when the application starts: its metadata is fetched again, at most once per
 * {@link #RETRY_INTERVAL}, until it answers; until then sign-ins fail as "temporarily unavailable".
 */
final class ProviderConnection {

    static final String CLIENT_NAME = "rolebridge";
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG =
            dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(ProviderConnection.class));

    private final RolebridgeSettings settings;
    private final OidcConfiguration oidc;
    private final OidcClient client;
    private final SessionRegistry sessions;
    private final SharedLogouts sharedLogouts;
    private final Clock clock;
    private final Throttle retry;
    private volatile BackChannelLogout backChannel;
    private volatile boolean ready;

    ProviderConnection(
            RolebridgeSettings settings,
            AuthorizationGenerator onSignIn,
            SessionRegistry sessions,
            SharedLogouts sharedLogouts,
            Clock clock) {
        this.settings = settings;
        this.sessions = sessions;
        this.sharedLogouts = sharedLogouts;
        this.clock = clock;
        this.retry = new Throttle(RETRY_INTERVAL, clock);

        oidc = new OidcConfiguration();
        oidc.setClientId(settings.clientId());
        oidc.setSecret(settings.clientSecret());
        oidc.setClientAuthenticationMethod(
                ClientAuthenticationMethod.parse(settings.clientAuthMethod().value()));
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
        validateLogoutTokens(oidc);
        if (settings.idTokenSigningAlg() != null) {
            oidc.setPreferredJwsAlgorithmAsString(settings.idTokenSigningAlg());
        }

        client = new TokenHandling.Client(oidc);
        client.setName(CLIENT_NAME);
        client.setCallbackUrl(settings.callbackUrl().toString());
        client.setCallbackUrlResolver(new NoParameterCallbackUrlResolver());
        client.setAjaxRequestResolver(API_REQUESTS);
        client.setMultiProfile(false);
        client.setMaxAttempts(-1);
        client.setMinTimeIntervalBetweenAttemptsInMilliseconds(0);
        client.addAuthorizationGenerator(onSignIn);
        TokenHandling.install(client, oidc);
    }

    /** {@link ApiRequests#isApi} for pac4j: those requests get 401 instead of a redirect to the provider. */
    static final AjaxRequestResolver API_REQUESTS = new DefaultAjaxRequestResolver() {
        @Override
        public boolean isAjax(CallContext ctx) {
            return ApiRequests.isApi(((JEEContext) ctx.webContext()).getNativeRequest());
        }
    };

    OidcClient client() {
        return client;
    }

    /**
     * Fetches the provider's metadata now, whatever the retry interval says. Returns {@code false}, after
     * logging why, when the provider cannot be reached; sign-ins then retry by themselves.
     *
     * @throws RolebridgeConfigurationException when the provider's metadata contradicts the configuration
     */
    boolean connect() {
        try {
            ensureReady(true);
            return true;
        } catch (LoginFailedException e) {
            LOG.warn(
                    "OpenID provider at {} is not reachable yet ({}); the application starts and sign-in will "
                            + "retry",
                    settings.discoveryUri(),
                    e.detail());
            return false;
        }
    }

    /** Connects when not yet connected (at most once per retry interval); fails the sign-in when it cannot. */
    void ensureReady() {
        ensureReady(false);
    }

    private void ensureReady(boolean force) {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            if (force) {
                retry.passed();
            } else if (!retry.tryAcquire()) {
                throw new LoginFailedException(
                        Reason.PROVIDER_UNAVAILABLE, "provider metadata not available yet", null);
            }
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
                keys = new ProviderKeys(metadata.getJWKSetURI().toURL(), oidc.getResourceRetriever(), clock);
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new RolebridgeConfigurationException(List.of(
                        "discoveryUri: the provider's jwks_uri '" + metadata.getJWKSetURI() + "' is not a URL"));
            }
            var resolver = new TokenHandling.Metadata(oidc, metadata, keys);
            oidc.setOpMetadataResolver(resolver);
            resolver.init();
            client.init();
            backChannel = new BackChannelLogout(
                    metadata,
                    settings.clientId(),
                    keys,
                    (int) settings.clockSkew().toSeconds(),
                    sessions,
                    sharedLogouts,
                    clock);
            ready = true;
            LOG.info(
                    "OpenID provider {} ready (client '{}', callback {})",
                    metadata.getIssuer(),
                    settings.clientId(),
                    settings.callbackUrl());
        }
    }

    /** The back-channel logout endpoint's logic, once connected (connecting first if needed). */
    BackChannelLogout backChannel() {
        ensureReady();
        return backChannel;
    }

    /** The provider's issuer, or {@code null} before it answered. */
    String issuer() {
        BackChannelLogout connected = backChannel;
        return connected == null ? null : connected.issuer();
    }

    /** The provider's end-session endpoint, when connected and the provider has one. */
    Optional<URI> endSessionEndpoint() {
        if (!ready) {
            return Optional.empty();
        }
        return Optional.ofNullable(oidc.getOpMetadataResolver().load().getEndSessionEndpointURI());
    }

    /**
     * pac4j validates back-channel logout tokens only while {@code logoutValidation} is true (its default,
     * deprecated for removal but still read by its credentials extractor): set explicitly, like every other
     * security default.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static void validateLogoutTokens(OidcConfiguration oidc) {
        oidc.setLogoutValidation(true);
    }
}
