package dev.rolebridge.internal.oidc;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import dev.rolebridge.internal.config.RolebridgeSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.text.ParseException;
import java.util.Optional;
import org.pac4j.core.config.Config;
import org.pac4j.core.engine.DefaultLogoutLogic;
import org.pac4j.jee.context.JEEFrameworkParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-out at the logout path: pac4j's local logout, the session invalidated whatever happens, then a
 * redirect to the provider's end-session endpoint (RP-initiated logout: when configured, offered by the
 * provider, and the session had an ID token) or to the configured post-logout URL.
 */
final class SignOut {

    private static final Logger LOG = dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(SignOut.class));
    /** Logout never follows a {@code url} parameter: the target is configured. */
    private static final String NO_LOGOUT_URL_PARAMETER = "(?!)";

    private final RolebridgeSettings settings;
    private final Config config;
    private final ProviderConnection provider;
    private final DefaultLogoutLogic logoutLogic = new DefaultLogoutLogic();
    private final String defaultUrl;

    SignOut(RolebridgeSettings settings, Config config, ProviderConnection provider) {
        this.settings = settings;
        this.config = config;
        this.provider = provider;
        this.defaultUrl = settings.postLogoutRedirectUrl().toString();
    }

    void perform(HttpServletRequest request, HttpServletResponse response) {
        String idToken = SessionRegistry.idToken(request.getSession(false));
        try {
            // local logout by pac4j; the provider's end-session redirect is built here, because pac4j logs it
            // (ID token included) at DEBUG
            logoutLogic.perform(
                    config,
                    defaultUrl,
                    NO_LOGOUT_URL_PARAMETER,
                    true,
                    true,
                    false,
                    new JEEFrameworkParameters(request, response));
        } catch (RuntimeException e) {
            LOG.warn(
                    "local logout failed, invalidating the session: {}",
                    AuthorizationResponse.printable(String.valueOf(e), 200));
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

    private Optional<String> providerLogoutUrl(String idToken) {
        if (!settings.providerLogout() || idToken == null) {
            return Optional.empty();
        }
        Optional<URI> endSession = provider.endSessionEndpoint();
        if (endSession.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LogoutRequest(
                            endSession.get(), JWTParser.parse(idToken), settings.postLogoutRedirectUrl(), null)
                    .toURI()
                    .toString());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
