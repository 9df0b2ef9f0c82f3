package dev.rolebridge.internal.config;

import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.store.StoreSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The validated, immutable configuration of one Rolebridge filter.
 *
 * <pre>{@code
 * Map<String, String> params = Map.of(
 *         "discoveryUri", "https://idp.example.com/realms/acme/.well-known/openid-configuration",
 *         "clientId", "legacy-app",
 *         "clientSecret", "${env:OIDC_SECRET}",
 *         "callbackUrl", "https://app.example.com/legacy/callback");
 * RolebridgeSettings settings = RolebridgeSettings.fromParameters(params, "/legacy");
 * }</pre>
 *
 * <p>Blank values count as absent. Every problem is collected and reported together in one
 * {@link RolebridgeConfigurationException}; nothing half-configured is ever returned.
 */
public final class RolebridgeSettings {

    /**
     * Whether the container's declarative security ({@code <security-constraint>}, {@code @ServletSecurity})
     * runs on Rolebridge's sign-in, through a Jakarta Authentication module ({@code containerSecurity}).
     */
    public enum ContainerSecurity {
        /** On when the application declares a security constraint, else off. */
        AUTO,
        /** Always on; start-up fails when the container lacks Jakarta Authentication. */
        ON,
        /** Filter only: the container's constraints are left to the container. */
        OFF
    }

    /** Authentication of the client at the provider's token endpoint. */
    public enum ClientAuthMethod {
        CLIENT_SECRET_BASIC("client_secret_basic"),
        CLIENT_SECRET_POST("client_secret_post"),
        NONE("none");

        private final String value;

        ClientAuthMethod(String value) {
            this.value = value;
        }

        /** The OAuth 2.0 registry name ({@code client_secret_basic}, ...). */
        public String value() {
            return value;
        }
    }

    private static final Set<String> SIGNING_ALGORITHMS =
            Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");
    /** The suffix of a discovery URL from which the issuer can be read off. */
    public static final String WELL_KNOWN = "/.well-known/openid-configuration";

    private static final Pattern CLAIM_PATH = Pattern.compile("[^.\\s,]+(\\.[^.\\s,]+)*");

    private final URI discoveryUri;
    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private final ClientAuthMethod clientAuthMethod;
    private final URI callbackUrl;
    private final String callbackPath;
    private final String scope;
    private final List<String> groupsClaims;
    private final String usernameClaim;
    private final PathPatterns excludedPaths;
    private final PathPatterns crossSiteAllowedPaths;
    private final String logoutPath;
    private final String backChannelLogoutPath;
    private final int backChannelLogoutPollSeconds;
    private final int roleRefreshSeconds;
    private final URI postLogoutRedirectUrl;
    private final boolean providerLogout;
    private final Duration clockSkew;
    private final int providerTimeoutMillis;
    private final String idTokenSigningAlg;
    private final boolean securityHeaders;
    private final ContainerSecurity containerSecurity;
    private final boolean allowInsecureHttp;
    private final Set<String> keepSessionAttributes;
    private final boolean configureSessionCookie;
    private final String syncHook;
    private final Map<String, String> parameters;
    private final Map<String, String> hookParameters;
    private final MappingConfig mapping;
    private final StoreSettings store;
    private final ScimSettings scim;
    private final AdminSettings admin;

    private RolebridgeSettings(Reader r) {
        this.discoveryUri = r.discoveryUri;
        this.issuer = r.issuer;
        this.clientId = r.clientId;
        this.clientSecret = r.clientSecret;
        this.clientAuthMethod = r.clientAuthMethod;
        this.callbackUrl = r.callbackUrl;
        this.callbackPath = r.callbackPath;
        this.scope = r.scope;
        this.groupsClaims = List.copyOf(r.groupsClaims);
        this.usernameClaim = r.usernameClaim;
        this.excludedPaths = r.excludedPaths;
        this.crossSiteAllowedPaths = r.crossSiteAllowedPaths;
        this.logoutPath = r.logoutPath;
        this.backChannelLogoutPath = r.backChannelLogoutPath;
        this.backChannelLogoutPollSeconds = r.backChannelLogoutPollSeconds;
        this.roleRefreshSeconds = r.roleRefreshSeconds;
        this.postLogoutRedirectUrl = r.postLogoutRedirectUrl;
        this.providerLogout = r.providerLogout;
        this.clockSkew = r.clockSkew;
        this.providerTimeoutMillis = r.providerTimeoutMillis;
        this.idTokenSigningAlg = r.idTokenSigningAlg;
        this.securityHeaders = r.securityHeaders;
        this.containerSecurity = r.containerSecurity;
        this.allowInsecureHttp = r.allowInsecureHttp;
        this.keepSessionAttributes = Set.copyOf(r.keepSessionAttributes);
        this.configureSessionCookie = r.configureSessionCookie;
        this.syncHook = r.syncHook;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(r.params.values()));
        this.hookParameters = r.params.hookParameters();
        this.mapping = r.mapping;
        this.store = r.store;
        this.scim = r.scim;
        this.admin = r.admin;
    }

    /**
     * Reads settings from raw parameters, resolving placeholders from the process environment and the
     * system properties.
     *
     * @param raw parameter name to value, as written in {@code web.xml} or the annotation
     * @param contextPath the web application's context path ({@code ""} for the root application)
     * @throws RolebridgeConfigurationException listing every problem
     */
    public static RolebridgeSettings fromParameters(Map<String, String> raw, String contextPath) {
        return fromParameters(raw, contextPath, System::getenv, System::getProperty);
    }

    /** As {@link #fromParameters(Map, String)}, with the sources of {@code ${env:}} and {@code ${sys:}} given. */
    public static RolebridgeSettings fromParameters(
            Map<String, String> raw,
            String contextPath,
            UnaryOperator<String> environment,
            UnaryOperator<String> systemProperties) {
        return fromParameters(raw, contextPath, List.of(), environment, systemProperties);
    }

    /**
     * As {@link #fromParameters(Map, String)}, for an application that declares {@code applicationRoles}
     * ({@code <security-role>}, {@code @DeclareRoles}, ...), which the mapping turns into roles unless
     * {@code declaredRoles} is {@code false}.
     */
    public static RolebridgeSettings fromParameters(
            Map<String, String> raw, String contextPath, Collection<String> applicationRoles) {
        return fromParameters(raw, contextPath, applicationRoles, System::getenv, System::getProperty);
    }

    static RolebridgeSettings fromParameters(
            Map<String, String> raw,
            String contextPath,
            Collection<String> applicationRoles,
            UnaryOperator<String> environment,
            UnaryOperator<String> systemProperties) {
        Objects.requireNonNull(contextPath, "contextPath");
        return read(
                ParameterReader.of(raw, environment, systemProperties),
                contextPath,
                applicationRoles,
                defaultWorkDirectory(contextPath));
    }

    /**
     * Reads every part of the configuration (sign-in, group mapping, storage) from the filter's one parameter
     * reader, and reports every problem of every part in one exception.
     *
     * @param contextPath the web application's context path ({@code ""} for the root application)
     * @param applicationRoles the roles the application declares ({@code <security-role>}, ...)
     * @param workDirectory where the embedded database goes when no database is configured
     * @throws RolebridgeConfigurationException listing every problem
     */
    public static RolebridgeSettings read(
            ParameterReader params, String contextPath, Collection<String> applicationRoles, Path workDirectory) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(contextPath, "contextPath");
        Objects.requireNonNull(applicationRoles, "applicationRoles");
        Objects.requireNonNull(workDirectory, "workDirectory");
        Reader reader = new Reader(params, contextPath, applicationRoles, workDirectory);
        reader.read();
        if (!params.problems().isEmpty()) {
            throw new RolebridgeConfigurationException(params.problems());
        }
        return new RolebridgeSettings(reader);
    }

    /** Where the embedded database goes when the container names no work directory for the application. */
    public static Path defaultWorkDirectory(String contextPath) {
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "rolebridge",
                contextPath.isEmpty() ? "ROOT" : contextPath.substring(1).replace('/', '#'));
    }

    public URI discoveryUri() {
        return discoveryUri;
    }

    /**
     * The issuer the provider's discovery document must announce: the {@code issuer} parameter, else the
     * discovery URL without {@value #WELL_KNOWN}.
     */
    public String issuer() {
        return issuer;
    }

    public String clientId() {
        return clientId;
    }

    /** The client secret, or {@code null} for a public client. */
    public String clientSecret() {
        return clientSecret;
    }

    public ClientAuthMethod clientAuthMethod() {
        return clientAuthMethod;
    }

    /** The absolute redirect URI registered at the provider, sent exactly as configured. */
    public URI callbackUrl() {
        return callbackUrl;
    }

    /** The callback's path inside the web application (the callback URL's path less the context path). */
    public String callbackPath() {
        return callbackPath;
    }

    public String scope() {
        return scope;
    }

    /** The claims (dotted paths) whose values are merged into the login's groups. */
    public List<String> groupsClaims() {
        return groupsClaims;
    }

    public String usernameClaim() {
        return usernameClaim;
    }

    public PathPatterns excludedPaths() {
        return excludedPaths;
    }

    /**
     * Protected paths that accept unsafe methods (POST, PUT, PATCH, DELETE) from other sites and origins;
     * all others refuse them.
     */
    public PathPatterns crossSiteAllowedPaths() {
        return crossSiteAllowedPaths;
    }

    /** The path inside the application that logs out. */
    public String logoutPath() {
        return logoutPath;
    }

    /** The path inside the application where the provider POSTs back-channel logout tokens. */
    public String backChannelLogoutPath() {
        return backChannelLogoutPath;
    }

    /** How often a node looks for back-channel logouts that other nodes received (seconds). */
    public int backChannelLogoutPollSeconds() {
        return backChannelLogoutPollSeconds;
    }

    /**
     * How often, at most, a signed-in session re-reads its groups and roles from the membership store
     * (seconds); 0: roles change only at login.
     */
    public int roleRefreshSeconds() {
        return roleRefreshSeconds;
    }

    /** Where the browser lands after logout (absolute). */
    public URI postLogoutRedirectUrl() {
        return postLogoutRedirectUrl;
    }

    /** Whether logout also ends the session at the provider (RP-initiated logout). */
    public boolean providerLogout() {
        return providerLogout;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public int providerTimeoutMillis() {
        return providerTimeoutMillis;
    }

    /** The only ID token signature algorithm accepted, or {@code null} for any the provider offers (never none). */
    public String idTokenSigningAlg() {
        return idTokenSigningAlg;
    }

    public boolean securityHeaders() {
        return securityHeaders;
    }

    /** {@code auto}, {@code on} or {@code off}: see {@link ContainerSecurity}. */
    public ContainerSecurity containerSecurity() {
        return containerSecurity;
    }

    /** Whether plain {@code http://} to hosts other than loopback is allowed (never by default). */
    public boolean allowInsecureHttp() {
        return allowInsecureHttp;
    }

    /**
     * Why {@code uri} may not be used, or {@code null} when it may: plain {@code http://} is allowed only to
     * loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}), unless {@code allowInsecureHttp}.
     */
    public String insecureHttp(URI uri) {
        return insecure(uri, allowInsecureHttp);
    }

    private static String insecure(URI uri, boolean allowed) {
        if (allowed || uri == null || !"http".equalsIgnoreCase(uri.getScheme()) || isLoopback(uri.getHost())) {
            return null;
        }
        return "uses http:// to '" + uri.getHost() + "', which is not loopback: use https://, or set "
                + Parameter.ALLOW_INSECURE_HTTP.paramName() + " to true for an internal deployment that must";
    }

    /** Loopback by name or literal address, without asking DNS. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("[::1]") || h.equals("::1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty()
                    || part.length() > 3
                    || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Session attributes carried over when the session id is renewed at login. */
    public Set<String> keepSessionAttributes() {
        return keepSessionAttributes;
    }

    /**
     * Whether Rolebridge's initializer sets the session cookie up (COOKIE tracking only, HttpOnly,
     * SameSite=Lax, Secure with an https callback) where the application did not configure it itself.
     */
    public boolean configureSessionCookie() {
        return configureSessionCookie;
    }

    /** The class name of a custom {@code MembershipSyncHook}, or {@code null} for the built-in one. */
    public String syncHook() {
        return syncHook;
    }

    /** How provider groups become application groups and roles (the mapping parameters, validated). */
    public MappingConfig mapping() {
        return mapping;
    }

    /** Where memberships are stored ({@code dataSource}, {@code jdbcUrl}, ..., else the embedded database). */
    public StoreSettings store() {
        return store;
    }

    /** The administration page's settings, or {@code null} when it is off ({@code adminPath} not set). */
    public AdminSettings admin() {
        return admin;
    }

    /** The SCIM endpoint's settings, or {@code null} when SCIM is off ({@code scimToken} not set). */
    public ScimSettings scim() {
        return scim;
    }

    /** The parameters a custom {@code syncHook} reads itself: {@code syncHook.*}, by name without the prefix. */
    public Map<String, String> hookParameters() {
        return hookParameters;
    }

    /** Every non-blank parameter after placeholder resolution, for the parts of the library that own them. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** Lists the settings without the secrets. */
    @Override
    public String toString() {
        return "RolebridgeSettings[discoveryUri=" + discoveryUri + ", clientId=" + clientId
                + ", clientAuthMethod=" + clientAuthMethod.value() + ", callbackUrl=" + callbackUrl
                + ", scope=" + scope + ", groupsClaims=" + groupsClaims + ", usernameClaim=" + usernameClaim
                + ", excludedPaths=" + excludedPaths + ", logoutPath=" + logoutPath + "]";
    }

    /** Reads, converts and checks each parameter, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final ParameterReader params;
        private final String contextPath;
        private final Path workDirectory;

        URI discoveryUri;
        String issuer;
        String clientId;
        String clientSecret;
        ClientAuthMethod clientAuthMethod;
        URI callbackUrl;
        String callbackPath;
        String scope;
        List<String> groupsClaims = List.of();
        String usernameClaim;
        PathPatterns excludedPaths;
        PathPatterns crossSiteAllowedPaths;
        String logoutPath;
        String backChannelLogoutPath;
        int backChannelLogoutPollSeconds;
        int roleRefreshSeconds;
        URI postLogoutRedirectUrl;
        boolean providerLogout;
        Duration clockSkew;
        int providerTimeoutMillis;
        String idTokenSigningAlg;
        boolean securityHeaders;
        ContainerSecurity containerSecurity = ContainerSecurity.AUTO;
        boolean allowInsecureHttp;
        Set<String> keepSessionAttributes = Set.of();
        boolean configureSessionCookie;
        String syncHook;
        MappingConfig mapping;
        StoreSettings store;
        ScimSettings scim;
        AdminSettings admin;

        private final Collection<String> applicationRoles;

        Reader(ParameterReader params, String contextPath, Collection<String> applicationRoles, Path workDirectory) {
            this.params = params;
            this.applicationRoles = applicationRoles;
            this.contextPath = contextPath;
            this.workDirectory = workDirectory;
        }

        void read() {
            discoveryUri = httpUrl(Parameter.DISCOVERY_URI, true);
            readIssuer();
            clientId = value(Parameter.CLIENT_ID);
            if (clientId == null) {
                required(Parameter.CLIENT_ID, "the client id registered at the provider");
            }
            clientSecret = value(Parameter.CLIENT_SECRET);
            clientAuthMethod = clientAuthMethod();
            readCallback();
            scope = value(Parameter.SCOPE);
            if (!Arrays.asList(scope.split("\\s+")).contains("openid")) {
                problem(Parameter.SCOPE, "must contain 'openid' (space-separated scopes, e.g. 'openid profile email')");
            }
            groupsClaims = claimPaths(Parameter.GROUPS_CLAIM);
            List<String> username = claimPaths(Parameter.USERNAME_CLAIM);
            if (username.size() > 1) {
                problem(Parameter.USERNAME_CLAIM, "must name one claim (e.g. 'preferred_username' or 'email')");
            }
            usernameClaim = username.isEmpty() ? Parameter.USERNAME_CLAIM.defaultValue() : username.get(0);
            readPaths();
            providerLogout = bool(Parameter.PROVIDER_LOGOUT);
            clockSkew = Duration.ofSeconds(integer(Parameter.CLOCK_SKEW_SECONDS, 0, 600));
            providerTimeoutMillis = integer(Parameter.PROVIDER_TIMEOUT_MILLIS, 100, 120_000);
            backChannelLogoutPollSeconds = integer(Parameter.BACK_CHANNEL_LOGOUT_POLL_SECONDS, 1, 3600);
            roleRefreshSeconds = integer(Parameter.ROLE_REFRESH_SECONDS, 0, 86_400);
            idTokenSigningAlg = value(Parameter.ID_TOKEN_SIGNING_ALG);
            if (idTokenSigningAlg != null && !SIGNING_ALGORITHMS.contains(idTokenSigningAlg)) {
                problem(
                        Parameter.ID_TOKEN_SIGNING_ALG,
                        "expected one of " + new TreeSet<>(SIGNING_ALGORITHMS)
                                + " (unsigned and symmetric algorithms are refused)");
            }
            securityHeaders = bool(Parameter.SECURITY_HEADERS);
            containerSecurity = containerSecurity();
            allowInsecureHttp = bool(Parameter.ALLOW_INSECURE_HTTP);
            for (Parameter p : List.of(Parameter.DISCOVERY_URI, Parameter.ISSUER, Parameter.CALLBACK_URL)) {
                URI uri = p == Parameter.DISCOVERY_URI
                        ? discoveryUri
                        : p == Parameter.CALLBACK_URL
                                ? callbackUrl
                                : issuer == null || value(Parameter.ISSUER) == null ? null : URI.create(issuer);
                String why = insecure(uri, allowInsecureHttp);
                if (why != null) {
                    problem(p, why);
                }
            }
            keepSessionAttributes = Set.copyOf(list(Parameter.KEEP_SESSION_ATTRIBUTES));
            configureSessionCookie = bool(Parameter.CONFIGURE_SESSION_COOKIE);
            syncHook = value(Parameter.SYNC_HOOK);
            if (syncHook != null
                    && !syncHook.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
                problem(
                        Parameter.SYNC_HOOK,
                        "expected the fully qualified name of a class implementing "
                                + "dev.rolebridge.sync.MembershipSyncHook");
            }
            scim = ScimSettings.read(params, Arrays.asList(callbackPath, logoutPath, backChannelLogoutPath));
            mapping = MappingConfig.read(params, applicationRoles);
            admin = AdminSettings.read(
                    params,
                    Arrays.asList(
                            callbackPath, logoutPath, backChannelLogoutPath, params.textOrDefault(Parameter.SCIM_PATH)),
                    mapping == null ? List.of() : mapping.roles(),
                    mapping == null ? null : mapping.rolePriority().get(0));
            store = StoreSettings.read(params, workDirectory);
        }

        private void readIssuer() {
            URI configured = httpUrl(Parameter.ISSUER, false);
            if (configured != null) {
                issuer = configured.toString();
                if (configured.getRawQuery() != null || configured.getRawFragment() != null) {
                    problem(
                            Parameter.ISSUER,
                            "must have no query or fragment (an issuer identifier is a URL "
                                    + "with scheme, host and optionally a path)");
                }
            } else if (discoveryUri != null && value(Parameter.ISSUER) == null) {
                String discovery = discoveryUri.toString();
                if (discovery.endsWith(WELL_KNOWN)) {
                    issuer = discovery.substring(0, discovery.length() - WELL_KNOWN.length());
                } else {
                    params.problem(Parameter.ISSUER.paramName() + ": is required because discoveryUri '" + discovery
                            + "' does not end in '" + WELL_KNOWN + "': give the provider's issuer identifier, "
                            + "which its discovery document must announce");
                }
            }
        }

        private void readCallback() {
            callbackUrl = httpUrl(Parameter.CALLBACK_URL, true);
            if (callbackUrl == null) {
                return;
            }
            String path = callbackUrl.getPath() == null ? "" : callbackUrl.getPath();
            if (callbackUrl.getRawQuery() != null || callbackUrl.getRawFragment() != null) {
                problem(
                        Parameter.CALLBACK_URL,
                        "must have no query or fragment: it is compared exactly with the "
                                + "redirect URI registered at the provider");
            } else if (!path.startsWith(contextPath + "/") || path.length() <= contextPath.length() + 1) {
                problem(
                        Parameter.CALLBACK_URL,
                        "its path must lie inside this application, i.e. start with '" + contextPath
                                + "/' and name a path such as '" + contextPath + "/callback'");
            } else {
                callbackPath = path.substring(contextPath.length());
            }
        }

        private void readPaths() {
            List<String> patterns = list(Parameter.EXCLUDED_PATHS);
            List<String> bad =
                    patterns.stream().filter(p -> !PathPatterns.isValid(p)).toList();
            if (!bad.isEmpty()) {
                problem(
                        Parameter.EXCLUDED_PATHS,
                        "entries " + bad + " are not valid; expected comma-separated "
                                + "'/exact/path', '/prefix/*' or '*.extension'");
            }
            excludedPaths = new PathPatterns(
                    patterns.stream().filter(PathPatterns::isValid).toList());
            List<String> crossSite = list(Parameter.CROSS_SITE_ALLOWED_PATHS);
            List<String> badCrossSite =
                    crossSite.stream().filter(p -> !PathPatterns.isValid(p)).toList();
            if (!badCrossSite.isEmpty()) {
                problem(
                        Parameter.CROSS_SITE_ALLOWED_PATHS,
                        "entries " + badCrossSite + " are not valid; expected "
                                + "comma-separated '/exact/path', '/prefix/*' or '*.extension'");
            }
            crossSiteAllowedPaths = new PathPatterns(
                    crossSite.stream().filter(PathPatterns::isValid).toList());
            logoutPath = value(Parameter.LOGOUT_PATH);
            if (!logoutPath.startsWith("/") || logoutPath.contains("*") || logoutPath.contains("?")) {
                problem(
                        Parameter.LOGOUT_PATH,
                        "expected a path inside the application starting with '/', e.g. '/logout'");
            }
            if (callbackPath != null && callbackPath.equals(logoutPath)) {
                problem(Parameter.LOGOUT_PATH, "must differ from the callback path '" + callbackPath + "'");
            }
            backChannelLogoutPath = value(Parameter.BACK_CHANNEL_LOGOUT_PATH);
            if (!backChannelLogoutPath.startsWith("/")
                    || backChannelLogoutPath.contains("*")
                    || backChannelLogoutPath.contains("?")) {
                problem(Parameter.BACK_CHANNEL_LOGOUT_PATH, "expected a path inside the application starting with '/'");
            } else if (backChannelLogoutPath.equals(logoutPath) || backChannelLogoutPath.equals(callbackPath)) {
                problem(Parameter.BACK_CHANNEL_LOGOUT_PATH, "must differ from the callback and logout paths");
            }
            if (callbackPath != null && excludedPaths.matches(callbackPath)) {
                problem(Parameter.EXCLUDED_PATHS, "must not exclude the callback path '" + callbackPath + "'");
            }
            String target = value(Parameter.POST_LOGOUT_REDIRECT_URL);
            if (target == null) {
                if (callbackUrl != null) {
                    postLogoutRedirectUrl = callbackUrl.resolve(contextPath + "/");
                }
            } else if (target.startsWith("/") && !target.startsWith("//")) {
                if (callbackUrl != null) {
                    postLogoutRedirectUrl = callbackUrl.resolve(target);
                }
            } else {
                postLogoutRedirectUrl = httpUrl(Parameter.POST_LOGOUT_REDIRECT_URL, false);
            }
        }

        private ClientAuthMethod clientAuthMethod() {
            String text = value(Parameter.CLIENT_AUTH_METHOD);
            ClientAuthMethod method;
            if (text == null) {
                method = clientSecret == null ? ClientAuthMethod.NONE : ClientAuthMethod.CLIENT_SECRET_BASIC;
            } else {
                method = Stream.of(ClientAuthMethod.values())
                        .filter(m -> m.value().equals(text))
                        .findFirst()
                        .orElse(null);
                if (method == null) {
                    problem(Parameter.CLIENT_AUTH_METHOD, "expected client_secret_basic, client_secret_post or none");
                    return ClientAuthMethod.NONE;
                }
            }
            if (method != ClientAuthMethod.NONE && clientSecret == null) {
                params.problem(Parameter.CLIENT_SECRET.paramName() + ": is required when clientAuthMethod is "
                        + method.value() + " (or set clientAuthMethod to 'none' for a public client)");
            }
            if (method == ClientAuthMethod.NONE && clientSecret != null && text != null) {
                params.problem(Parameter.CLIENT_AUTH_METHOD.paramName()
                        + ": is 'none' but a clientSecret is set; remove one of them");
            }
            return method;
        }

        private ContainerSecurity containerSecurity() {
            String v = value(Parameter.CONTAINER_SECURITY).strip();
            for (ContainerSecurity mode : ContainerSecurity.values()) {
                if (mode.name().equalsIgnoreCase(v)) {
                    return mode;
                }
            }
            problem(Parameter.CONTAINER_SECURITY, "expected auto, on or off");
            return ContainerSecurity.AUTO;
        }

        private String value(Parameter p) {
            return params.textOrDefault(p);
        }

        private void required(Parameter p, String expected) {
            if (!params.isWritten(p)) { // otherwise its placeholder problem is already reported
                params.problem(p.paramName() + ": is required: " + expected);
            }
        }

        private URI httpUrl(Parameter p, boolean required) {
            String v = value(p);
            if (v == null) {
                if (required) {
                    required(p, "an absolute http(s) URL");
                }
                return null;
            }
            try {
                URI uri = new URI(v);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    problem(p, "expected an absolute http(s) URL with a host");
                    return null;
                }
                return uri;
            } catch (java.net.URISyntaxException e) {
                problem(p, "is not a valid URL (" + e.getReason() + ")");
                return null;
            }
        }

        private boolean bool(Parameter p) {
            return params.bool(p).orElse(false);
        }

        private int integer(Parameter p, int min, int max) {
            return params.integer(p, min, max).orElseGet(() -> Integer.parseInt(p.defaultValue()));
        }

        private List<String> list(Parameter p) {
            return params.list(p);
        }

        private List<String> claimPaths(Parameter p) {
            List<String> paths = list(p);
            List<String> bad =
                    paths.stream().filter(c -> !CLAIM_PATH.matcher(c).matches()).toList();
            if (!bad.isEmpty()) {
                problem(p, "expected comma-separated claim names or dotted paths such as 'realm_access.roles'");
            }
            return paths.isEmpty() ? List.of(p.defaultValue()) : paths;
        }

        private void problem(Parameter p, String expected) {
            params.problem(p, expected);
        }
    }
}
