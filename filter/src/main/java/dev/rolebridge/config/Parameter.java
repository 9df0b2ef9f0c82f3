package dev.rolebridge.config;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every login configuration parameter: its name in {@code web.xml} and in {@link RolebridgeConfig}, and its
 * default. The names are a public contract; the README's table lists the same.
 */
public enum Parameter {
    DISCOVERY_URI("discoveryUri", null),
    ISSUER("issuer", null),
    CLIENT_ID("clientId", null),
    CLIENT_SECRET("clientSecret", null),
    CLIENT_AUTH_METHOD("clientAuthMethod", null),
    CALLBACK_URL("callbackUrl", null),
    SCOPE("scope", "openid profile email"),
    GROUPS_CLAIM("groupsClaim", "groups"),
    USERNAME_CLAIM("usernameClaim", "preferred_username"),
    EXCLUDED_PATHS("excludedPaths", ""),
    CROSS_SITE_ALLOWED_PATHS("crossSiteAllowedPaths", ""),
    LOGOUT_PATH("logoutPath", "/logout"),
    BACK_CHANNEL_LOGOUT_PATH("backChannelLogoutPath", "/backchannel-logout"),
    BACK_CHANNEL_LOGOUT_POLL_SECONDS("backChannelLogoutPollSeconds", "10"),
    POST_LOGOUT_REDIRECT_URL("postLogoutRedirectUrl", null),
    PROVIDER_LOGOUT("providerLogout", "true"),
    CLOCK_SKEW_SECONDS("clockSkewSeconds", "30"),
    PROVIDER_TIMEOUT_MILLIS("providerTimeoutMillis", "5000"),
    ID_TOKEN_SIGNING_ALG("idTokenSigningAlg", null),
    SECURITY_HEADERS("securityHeaders", "false"),
    ALLOW_INSECURE_HTTP("allowInsecureHttp", "false"),
    KEEP_SESSION_ATTRIBUTES("keepSessionAttributes", ""),
    CONFIGURE_SESSION_COOKIE("configureSessionCookie", "true"),
    SYNC_HOOK("syncHook", null),
    CONTAINER_SECURITY("containerSecurity", "auto");

    private static final Map<String, Parameter> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Parameter::paramName, Function.identity()));

    private final String paramName;
    private final String defaultValue;

    Parameter(String paramName, String defaultValue) {
        this.paramName = paramName;
        this.defaultValue = defaultValue;
    }

    /** The name users write in {@code <param-name>} and as the annotation attribute. */
    public String paramName() {
        return paramName;
    }

    /** The value used when the parameter is absent or blank, or {@code null} when there is none. */
    public String defaultValue() {
        return defaultValue;
    }

    static Optional<Parameter> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
