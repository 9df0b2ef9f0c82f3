package dev.rolebridge.internal.config;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every configuration parameter, of every part (sign-in, group mapping, storage): its name in {@code web.xml}
 * and in {@link RolebridgeConfig}, and, for sign-in, its default (the mapping's and the storage's defaults
 * live with their builders). The names are a public contract; the README's table lists the same, and
 * {@link ParameterReader} refuses any other name.
 */
public enum Parameter {
    DISCOVERY_URI("discoveryUri", null, Part.LOGIN),
    ISSUER("issuer", null, Part.LOGIN),
    CLIENT_ID("clientId", null, Part.LOGIN),
    CLIENT_SECRET("clientSecret", null, Part.LOGIN),
    CLIENT_AUTH_METHOD("clientAuthMethod", null, Part.LOGIN),
    CALLBACK_URL("callbackUrl", null, Part.LOGIN),
    SCOPE("scope", "openid profile email", Part.LOGIN),
    GROUPS_CLAIM("groupsClaim", "groups", Part.LOGIN),
    USERNAME_CLAIM("usernameClaim", "preferred_username", Part.LOGIN),
    EXCLUDED_PATHS("excludedPaths", "", Part.LOGIN),
    CROSS_SITE_ALLOWED_PATHS("crossSiteAllowedPaths", "", Part.LOGIN),
    LOGOUT_PATH("logoutPath", "/logout", Part.LOGIN),
    BACK_CHANNEL_LOGOUT_PATH("backChannelLogoutPath", "/backchannel-logout", Part.LOGIN),
    BACK_CHANNEL_LOGOUT_POLL_SECONDS("backChannelLogoutPollSeconds", "10", Part.LOGIN),
    ROLE_REFRESH_SECONDS("roleRefreshSeconds", "60", Part.LOGIN),
    POST_LOGOUT_REDIRECT_URL("postLogoutRedirectUrl", null, Part.LOGIN),
    PROVIDER_LOGOUT("providerLogout", "true", Part.LOGIN),
    CLOCK_SKEW_SECONDS("clockSkewSeconds", "30", Part.LOGIN),
    PROVIDER_TIMEOUT_MILLIS("providerTimeoutMillis", "5000", Part.LOGIN),
    ID_TOKEN_SIGNING_ALG("idTokenSigningAlg", null, Part.LOGIN),
    SECURITY_HEADERS("securityHeaders", "false", Part.LOGIN),
    ALLOW_INSECURE_HTTP("allowInsecureHttp", "false", Part.LOGIN),
    KEEP_SESSION_ATTRIBUTES("keepSessionAttributes", "", Part.LOGIN),
    CONFIGURE_SESSION_COOKIE("configureSessionCookie", "true", Part.LOGIN),
    SYNC_HOOK("syncHook", null, Part.LOGIN),
    CONTAINER_SECURITY("containerSecurity", "auto", Part.LOGIN),

    // the SCIM 2.0 endpoint (off unless scimToken is set)
    SCIM_PATH("scimPath", "/scim/v2", Part.LOGIN),
    SCIM_TOKEN("scimToken", null, Part.LOGIN),
    SCIM_USER_MATCH("scimUserMatch", "userName", Part.LOGIN),

    // the administration page and JSON API (off unless adminPath is set)
    ADMIN_PATH("adminPath", null, Part.LOGIN),
    ADMIN_ROLE("adminRole", null, Part.LOGIN),
    ADMIN_TOKEN("adminToken", null, Part.LOGIN),
    LOCK_SYNCED_GROUPS("lockSyncedGroups", "false", Part.LOGIN),

    // group mapping (MappingConfig)
    ROLE_PRIORITY("rolePriority", null, Part.MAPPING),
    DEFAULT_GROUP("defaultGroup", null, Part.MAPPING),
    GROUP_ROLES("groupRoles", null, Part.MAPPING),
    GROUP_MAPPINGS("groupMappings", null, Part.MAPPING),
    CLAIM_RULES("claimRules", null, Part.MAPPING),
    HARDCODED_GROUPS("hardcodedGroups", null, Part.MAPPING),
    SYNC_MODE("syncMode", null, Part.MAPPING),
    CASE_INSENSITIVE("caseInsensitive", null, Part.MAPPING),
    AUTO_CREATE_GROUPS("autoCreateGroups", null, Part.MAPPING),
    PROMOTE_ONLY("promoteOnly", null, Part.MAPPING),
    MAX_GROUPS("maxGroups", null, Part.MAPPING),
    MAX_GROUP_NAME_LENGTH("maxGroupNameLength", null, Part.MAPPING),
    ROLE_HIERARCHY("roleHierarchy", null, Part.MAPPING),
    DECLARED_ROLES("declaredRoles", null, Part.MAPPING),
    GROUPS_AS_ROLES("groupsAsRoles", null, Part.MAPPING),
    MAX_CREATED_GROUPS_PER_LOGIN("maxCreatedGroupsPerLogin", null, Part.MAPPING),
    MAX_CREATED_GROUPS("maxCreatedGroups", null, Part.MAPPING),

    // storage (StoreSettings)
    DATA_SOURCE("dataSource", null, Part.STORAGE),
    JDBC_URL("jdbcUrl", null, Part.STORAGE),
    JDBC_USER("jdbcUser", null, Part.STORAGE),
    JDBC_PASSWORD("jdbcPassword", null, Part.STORAGE),
    JDBC_POOL_SIZE("jdbcPoolSize", null, Part.STORAGE);

    /** The prefix of the parameters a custom {@code syncHook} reads itself (see the hook's context). */
    public static final String HOOK_PARAMETER_PREFIX = "syncHook.";

    private static final Map<String, Parameter> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Parameter::paramName, Function.identity()));

    /** The part of Rolebridge that reads a parameter. */
    public enum Part {
        /** Sign-in, logout and the web side ({@link RolebridgeSettings}). */
        LOGIN,
        /** The group mapping and role priority ({@code MappingConfig}). */
        MAPPING,
        /** Where memberships are stored ({@code StoreSettings}). */
        STORAGE
    }

    private final String paramName;
    private final String defaultValue;
    private final Part part;

    Parameter(String paramName, String defaultValue, Part part) {
        this.paramName = paramName;
        this.defaultValue = defaultValue;
        this.part = part;
    }

    /** Which part of Rolebridge reads it. */
    public Part part() {
        return part;
    }

    /** The names of one part's parameters, in declaration order. */
    public static java.util.List<String> namesOf(Part part) {
        return Arrays.stream(values())
                .filter(p -> p.part == part)
                .map(Parameter::paramName)
                .toList();
    }

    /** The name users write in {@code <param-name>} and as the annotation attribute. */
    public String paramName() {
        return paramName;
    }

    /** The value used when the parameter is absent or blank, or {@code null} when there is none. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The parameter of this name, if Rolebridge has one. */
    public static Optional<Parameter> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
