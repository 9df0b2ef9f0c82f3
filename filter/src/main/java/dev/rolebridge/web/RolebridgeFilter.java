package dev.rolebridge.web;

import dev.rolebridge.RolebridgeException;
import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.config.RolebridgeConfig;
import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.Throttle;
import dev.rolebridge.internal.admin.AdminEndpoint;
import dev.rolebridge.internal.admin.AdminService;
import dev.rolebridge.internal.config.AnnotationParameters;
import dev.rolebridge.internal.config.RolebridgeSettings;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.oidc.LoginFailedException;
import dev.rolebridge.internal.oidc.OidcLogin;
import dev.rolebridge.internal.oidc.SharedLogouts;
import dev.rolebridge.internal.scim.ScimEndpoint;
import dev.rolebridge.internal.scim.ScimGate;
import dev.rolebridge.internal.store.MembershipStore;
import dev.rolebridge.internal.sync.DefaultSyncHook;
import dev.rolebridge.sync.HookContext;
import dev.rolebridge.sync.MembershipDirectory;
import dev.rolebridge.sync.MembershipSyncHook;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect sign-in for a whole web application, in one filter. Declare it in {@code web.xml} ahead of
 * the application's own filters:
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>rolebridge</filter-name>
 *   <filter-class>dev.rolebridge.web.RolebridgeFilter</filter-class>
 *   <init-param><param-name>discoveryUri</param-name>
 *     <param-value>https://idp.example.com/realms/acme/.well-known/openid-configuration</param-value></init-param>
 *   <init-param><param-name>clientId</param-name><param-value>legacy-app</param-value></init-param>
 *   <init-param><param-name>clientSecret</param-name><param-value>${env:OIDC_CLIENT_SECRET}</param-value></init-param>
 *   <init-param><param-name>callbackUrl</param-name>
 *     <param-value>https://app.example.com/legacy/callback</param-value></init-param>
 * </filter>
 * <filter-mapping><filter-name>rolebridge</filter-name><url-pattern>/*</url-pattern></filter-mapping>
 * }</pre>
 *
 * <p>Per request it routes on the container-normalised path inside the application: the callback path
 * completes a login, the logout path ends it, excluded paths pass untouched, and every other request needs a
 * signed-in session — browsers are sent to the provider, API and XHR requests get 401. Behind the filter
 * {@code getRemoteUser()}, {@code getUserPrincipal()}, {@code getAuthType()} and {@code isUserInRole()}
 * answer from the login. A misconfiguration stops the filter (and so the application) from starting, with a
 * message naming every bad parameter.
 */
public class RolebridgeFilter implements Filter {

    /** Servlet context attribute holding the class annotated with {@link RolebridgeConfig}, if any. */
    static final String CONFIG_CLASS_ATTRIBUTE = "dev.rolebridge.configClass";

    /** Servlet context attribute holding the started filter, for the container's authentication module. */
    private static final String INSTANCE_ATTRIBUTE = RolebridgeFilter.class.getName();

    private static final java.util.Set<String> UNSAFE_METHODS = java.util.Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Logger LOG =
            dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(RolebridgeFilter.class));

    private RolebridgeSettings settings;
    private DefaultSyncHook builtInHook;
    private OidcLogin login;
    /** What {@code request.logout()} does to the session: made once, not at every request. */
    private Consumer<HttpServletRequest> forgetSignIn;

    private Origins origins;
    private ScimEndpoint scim;
    private AdminEndpoint admin;
    private ServletContext context;
    /**
     * Whether Rolebridge's Jakarta Authentication module is registered for this application: only then can a
     * request carry the principal the module authenticated (read once here, not looked for at every request).
     */
    private boolean containerModule;

    @Override
    public final void init(FilterConfig filterConfig) throws ServletException {
        ServletContext context = filterConfig.getServletContext();
        try {
            DeclaredSecurity declared = DeclaredSecurity.stored(context);
            Object containerProblem = context.getAttribute(ContainerSecurity.PROBLEM_ATTRIBUTE);
            try {
                settings = StartupConfiguration.read(context, parameters(filterConfig), declared);
            } catch (RolebridgeConfigurationException e) {
                if (containerProblem instanceof String problem) {
                    List<String> all = new java.util.ArrayList<>(e.problems());
                    all.add(problem);
                    throw new RolebridgeConfigurationException(all);
                }
                throw e;
            }
            if (containerProblem instanceof String problem) {
                throw new RolebridgeConfigurationException(List.of(problem));
            }
            containerModule = Boolean.TRUE.equals(context.getAttribute(ContainerSecurity.REGISTERED_ATTRIBUTE));
            logRoles(settings.mapping(), declared);
            origins = new Origins(settings.callbackUrl());
            if (settings.syncHook() != null) {
                loadHookClass(settings.syncHook()); // a wrong class name fails start-up before any database work
            }
            DefaultSyncHook defaultHook = DefaultSyncHook.start(settings.store(), settings.mapping());
            builtInHook = defaultHook;
            login = new OidcLogin(
                    settings, createHook(settings, defaultHook), defaultHook, new DatabaseLogouts(defaultHook));
            login.connect();
            forgetSignIn = login::forgetSignIn;
            ScimGate gate = null;
            URI scimUrl = null;
            if (settings.scim() != null) {
                gate = new ScimGate(settings.scim(), defaultHook::store, Clock.systemUTC());
                scimUrl = settings.callbackUrl()
                        .resolve(context.getContextPath() + settings.scim().path());
                scim = new ScimEndpoint(
                        gate, defaultHook.store(), defaultHook.mapping()::mapper, settings.issuer(), scimUrl);
            }
            if (settings.admin() != null) {
                admin = new AdminEndpoint(
                        new AdminService(
                                defaultHook::store,
                                defaultHook.mapping(),
                                settings.admin(),
                                settings.groupsClaims(),
                                gate,
                                scimUrl),
                        origins::sameOrigin,
                        origins::foreign);
            }
        } catch (RolebridgeException e) {
            LOG.error(e.getMessage());
            throw new ServletException(e.getMessage(), e);
        }
        this.context = context;
        context.setAttribute(INSTANCE_ATTRIBUTE, this);
        LOG.info(
                "Rolebridge protects {} (callback {}, logout {}, excluded {})",
                context.getContextPath().isEmpty() ? "/" : context.getContextPath(),
                settings.callbackPath(),
                settings.logoutPath(),
                settings.excludedPaths());
        if (admin != null) {
            LOG.info(
                    "Administration page at {} for the role '{}'{}",
                    settings.admin().path(),
                    settings.admin().role(),
                    settings.admin().hasToken() ? " (and the adminToken)" : "");
        }
        if (scim != null) {
            LOG.info(
                    "SCIM 2.0 endpoint at {} (users matched to logins by {})",
                    settings.scim().path(),
                    settings.scim().userMatch().value());
        }
    }

    /** Says once which roles the application declares, and where each was found. */
    private static void logRoles(MappingConfig mapping, DeclaredSecurity declared) {
        if (declared.names().isEmpty()) {
            LOG.info(
                    "The application declares no roles; its roles are those of rolePriority {}",
                    mapping.rolePriority());
        } else if (mapping.useDeclaredRoles()) {
            LOG.info(
                    "Roles the application declares ({}), each granted by the app group of its name: {}",
                    declared.names().size(),
                    String.join("; ", declared.describe()));
        } else {
            LOG.info(
                    "declaredRoles is false: the {} role(s) the application declares get no role groups: {}",
                    declared.names().size(),
                    String.join("; ", declared.describe()));
        }
    }

    /** The annotation's attributes, if a class carries one, overridden one by one by the init-params. */
    private static Map<String, String> parameters(FilterConfig filterConfig) {
        Map<String, String> initParams = new LinkedHashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            initParams.put(name, filterConfig.getInitParameter(name));
        }
        Object annotated = filterConfig.getServletContext().getAttribute(CONFIG_CLASS_ATTRIBUTE);
        return parameters(annotated instanceof Class<?> type ? type : null, initParams);
    }

    /** The attributes of {@code annotated}'s {@link RolebridgeConfig} (if any), overridden by {@code initParams}. */
    static Map<String, String> parameters(Class<?> annotated, Map<String, String> initParams) {
        Map<String, String> params = new LinkedHashMap<>();
        if (annotated != null && annotated.isAnnotationPresent(RolebridgeConfig.class)) {
            params.putAll(AnnotationParameters.of(annotated.getAnnotation(RolebridgeConfig.class)));
        }
        params.putAll(initParams);
        return params;
    }

    /**
     * The hook {@code syncHook} names, created through the first public constructor it has of: one taking a
     * {@link HookContext}; one taking a {@link MembershipSyncHook} (the built-in hook, to wrap); none.
     */
    private static MembershipSyncHook createHook(RolebridgeSettings settings, DefaultSyncHook defaultHook) {
        String className = settings.syncHook();
        if (className == null) {
            return defaultHook;
        }
        Class<?> type = loadHookClass(className);
        HookContext context = new HookContext() {
            @Override
            public Map<String, String> parameters() {
                return settings.hookParameters();
            }

            @Override
            public MembershipSyncHook builtIn() {
                return defaultHook;
            }

            @Override
            public MembershipDirectory memberships() {
                return defaultHook.directory();
            }
        };
        try {
            for (Class<?> parameter : List.of(HookContext.class, MembershipSyncHook.class)) {
                try {
                    Constructor<?> constructor = type.getConstructor(parameter);
                    return (MembershipSyncHook)
                            constructor.newInstance(parameter == HookContext.class ? context : defaultHook);
                } catch (NoSuchMethodException e) {
                    // try the next shape
                }
            }
            return (MembershipSyncHook) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw problem(
                    className,
                    "needs a public constructor taking a HookContext, or one taking a"
                            + " MembershipSyncHook (the built-in hook), or a public no-argument constructor");
        } catch (ReflectiveOperationException e) {
            throw problem(className, "could not be created: " + e.getCause());
        }
    }

    private static Class<?> loadHookClass(String className) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type =
                    Class.forName(className, true, loader != null ? loader : RolebridgeFilter.class.getClassLoader());
            if (!MembershipSyncHook.class.isAssignableFrom(type)) {
                throw problem(className, "does not implement dev.rolebridge.sync.MembershipSyncHook");
            }
            return type;
        } catch (ClassNotFoundException e) {
            throw problem(className, "names no class visible to the web application");
        }
    }

    /**
     * Back-channel logouts shared by the nodes through the membership database. Events older than a day are
     * deleted, by whichever node gets there first, at most once an hour per node.
     */
    private static final class DatabaseLogouts implements SharedLogouts {
        private static final Duration KEEP = Duration.ofDays(1);
        private final DefaultSyncHook hook;
        private final Throttle cleanup = new Throttle(Duration.ofHours(1), Clock.systemUTC());

        DatabaseLogouts(DefaultSyncHook hook) {
            this.hook = hook;
        }

        /** Deletes the events older than {@link #KEEP}, at most once an hour on this node. */
        private void cleanUpHourly() {
            if (cleanup.tryAcquire()) {
                hook.store().deleteLogoutsBefore(Instant.now().minus(KEEP));
            }
        }

        @Override
        public boolean record(String issuer, String subject, String sid, String jti, Instant at) {
            return hook.store().recordLogout(issuer, subject, sid, jti, at);
        }

        @Override
        public List<Event> since(Instant since, int limit) {
            cleanUpHourly();
            return hook.store().logoutsSince(since, limit).stream()
                    .map(e -> new Event(e.issuer(), e.subject(), e.sid(), e.at()))
                    .toList();
        }

        @Override
        public List<Numbered> after(long id, int limit) {
            cleanUpHourly();
            return hook.store().logoutsAfter(id, limit).stream()
                    .map(r -> new Numbered(
                            r.id(),
                            new Event(
                                    r.logout().issuer(),
                                    r.logout().subject(),
                                    r.logout().sid(),
                                    r.logout().at())))
                    .toList();
        }
    }

    private static RolebridgeConfigurationException problem(String className, String what) {
        return new RolebridgeConfigurationException(List.of("syncHook: '" + className + "' " + what));
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        String path = pathOf(request);
        if (isScimPath(path)) {
            // a SCIM client: no session, no redirect, no browser rules; the endpoint checks its bearer token
            scim.serve(request, response, path);
            return;
        }
        if (isAdminPath(path)) {
            serveAdmin(request, response, path);
            return;
        }
        if (excluded(request, path) && !isOwnPath(path)) {
            chain.doFilter(request, response); // the application's own exceptions are the container's to report
            return;
        }
        RolebridgePrincipal principal = null;
        boolean byContainer = false;
        try {
            if (isOwnPath(path)) {
                ownPath(request, response, path);
            } else if (refusedAsCrossSite(request, response, path)) {
                return;
            } else {
                principal = byModule(request);
                byContainer = principal != null; // the container authenticated it through Rolebridge's module
                if (principal == null) {
                    principal = login.authenticate(request, response);
                }
            }
        } catch (LoginFailedException e) {
            refused(request, response, path, e);
            return;
        } catch (RuntimeException e) {
            // never a stack trace for the user, and one log line for the operator
            refused(request, response, path, new LoginFailedException(LoginFailedException.Reason.INTERNAL, null, e));
            return;
        }
        if (principal != null) {
            chain.doFilter(new RolebridgeRequest(request, principal, byContainer, forgetSignIn), response);
        }
    }

    /**
     * The user Rolebridge's Jakarta Authentication module signed this request in as, else {@code null}; never
     * read where the module is not registered, so nothing else can hand the filter a principal.
     */
    private RolebridgePrincipal byModule(HttpServletRequest request) {
        return containerModule
                        && request.getAttribute(RolebridgeAuthModule.AUTHENTICATED_ATTRIBUTE)
                                instanceof RolebridgePrincipal p
                ? p
                : null;
    }

    private boolean isScimPath(String path) {
        return scim != null && settings.scim().covers(path);
    }

    private boolean isAdminPath(String path) {
        return admin != null && settings.admin().covers(path);
    }

    /**
     * The administration page and API: the API answers 401 rather than redirecting to the provider, and takes
     * the {@code adminToken} instead of a session; a page needs a sign-in, as any page of the application.
     */
    private void serveAdmin(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        String rest = path.substring(settings.admin().path().length());
        try {
            RolebridgePrincipal principal = byModule(request);
            if (AdminEndpoint.isApi(rest)) {
                admin.serveApi(
                        request,
                        response,
                        rest,
                        principal != null || AdminEndpoint.bearer(request) != null
                                ? principal
                                : login.signedIn(request));
                return;
            }
            if (principal == null) {
                if (refusedAsCrossSite(request, response, path)) {
                    return;
                }
                principal = login.authenticate(request, response);
            }
            if (principal != null) {
                admin.servePage(request, response, rest, principal);
            }
        } catch (LoginFailedException e) {
            refused(request, response, path, e);
        } catch (RuntimeException e) {
            refused(request, response, path, new LoginFailedException(LoginFailedException.Reason.INTERNAL, null, e));
        }
    }

    private boolean isOwnPath(String path) {
        return path.equals(settings.callbackPath())
                || path.equals(settings.logoutPath())
                || path.equals(settings.backChannelLogoutPath());
    }

    /**
     * Legacy forms carry no CSRF token: an unsafe request to a protected path that the browser says comes from
     * another site is refused with 403, unless {@code crossSiteAllowedPaths} allows it.
     */
    private boolean refusedAsCrossSite(HttpServletRequest request, HttpServletResponse response, String path)
            throws IOException {
        if (!UNSAFE_METHODS.contains(request.getMethod())
                || !origins.foreign(request)
                || settings.crossSiteAllowedPaths().matches(path, extensionMapped(request))) {
            return false;
        }
        LOG.warn(
                "cross-site {} to {} refused (Sec-Fetch-Site {}, Origin {})",
                request.getMethod(),
                path,
                request.getHeader("Sec-Fetch-Site"),
                request.getHeader("Origin"));
        ErrorPage.send(request, response, new LoginFailedException(LoginFailedException.Reason.CROSS_SITE, null, null));
        return true;
    }

    /** The callback, logout and back-channel logout paths, answered by the filter (or for the module). */
    private void ownPath(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        if (path.equals(settings.callbackPath())) {
            login.callback(request, response);
        } else if (path.equals(settings.logoutPath())) {
            if ("POST".equals(request.getMethod()) && origins.sameOrigin(request)) {
                login.logout(request, response);
            } else {
                // a GET (an <img> on any site) or a POST from elsewhere: ask, never sign out
                LogoutPage.send(request, response, settings.logoutPath(), "POST".equals(request.getMethod()));
            }
        } else {
            login.backChannelLogout(request, response);
        }
    }

    private static void refused(
            HttpServletRequest request, HttpServletResponse response, String path, LoginFailedException e)
            throws IOException {
        Throwable cause = e.getCause();
        if (e.reason() == LoginFailedException.Reason.INTERNAL) {
            LOG.error(
                    "unexpected failure in the Rolebridge filter for {} {}: {}",
                    request.getMethod(),
                    path,
                    describe(cause));
        } else {
            LOG.warn(
                    "sign-in refused ({}) for {} {}: {}{}",
                    e.reason(),
                    request.getMethod(),
                    path,
                    e.detail() == null ? e.reason().title() : withoutQuotedValue(e.detail()),
                    cause instanceof RolebridgeException ? " - " + cause.getMessage() : "");
            if (cause != null) {
                LOG.debug("sign-in refusal cause: {}", describe(cause));
            }
        }
        ErrorPage.send(request, response, e);
    }

    /**
     * A refusal's detail for the log, without what follows the first {@code ": "}: the token library words
     * its failures as {@code Unexpected JWT nonce (nonce) claim: <the value>}, and claim values are not logged.
     */
    static String withoutQuotedValue(String detail) {
        int colon = detail.indexOf(": ");
        return colon < 0 ? detail : detail.substring(0, colon);
    }

    /**
     * An unexpected exception in one line: the class of each cause, the messages of Rolebridge's own (which
     * never carry a token), and where the innermost one was thrown. Other messages are left out: a library's
     * message may quote a token or a claim.
     */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        Throwable last = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (b.length() > 0) {
                b.append(" <- ");
            }
            b.append(t.getClass().getName());
            if (t instanceof RolebridgeException) {
                b.append(": ").append(t.getMessage());
            }
            last = t;
        }
        if (last != null && last.getStackTrace().length > 0) {
            b.append(" at ").append(last.getStackTrace()[0]);
        }
        return b.toString();
    }

    /**
     * Whether the request needs no sign-in. An extension pattern excludes only what the container maps by
     * extension or to the default servlet (a prefix or exact mapping wins over an extension in the container,
     * so it must here too), and a request whose path carries {@code ..}, {@code //}, {@code \} or an encoded
     * separator is never excluded, whatever the container would make of it.
     */
    private boolean excluded(HttpServletRequest request, String path) {
        if (settings.excludedPaths().patterns().isEmpty() || suspicious(path) || suspicious(request.getRequestURI())) {
            return false;
        }
        return settings.excludedPaths().matches(path, extensionMapped(request));
    }

    /** Whether the container maps the request by extension or to the default servlet. */
    private static boolean extensionMapped(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
        return match == MappingMatch.EXTENSION || match == MappingMatch.DEFAULT;
    }

    /** Dot segments, empty segments, backslashes and encoded separators or dots, raw or decoded. */
    static boolean suspicious(String path) {
        if (path == null) {
            return false;
        }
        if (path.contains("..") || path.contains("//") || path.indexOf('\\') >= 0) {
            return true;
        }
        int percent = path.indexOf('%');
        while (percent >= 0 && percent + 2 < path.length()) {
            String code = path.substring(percent + 1, percent + 3);
            if (code.equalsIgnoreCase("2f")
                    || code.equalsIgnoreCase("5c")
                    || code.equalsIgnoreCase("2e")
                    || code.equals("25")) {
                return true;
            }
            percent = path.indexOf('%', percent + 1);
        }
        return false;
    }

    /** The started filter of a web application, or {@code null} before it started (or when it failed to). */
    static RolebridgeFilter of(ServletContext context) {
        return context.getAttribute(INSTANCE_ATTRIBUTE) instanceof RolebridgeFilter filter ? filter : null;
    }

    /**
     * The sign-in as the container's authentication module asks for it: the signed-in user, or {@code null}.
     * When the resource needs a user ({@code mandatory}) and there is none, the request is answered as the
     * filter would answer it — a redirect to the provider, 401 for API and XHR requests, or, on the filter's own
     * paths, the callback, logout or back-channel logout itself — and {@code null} is returned.
     */
    RolebridgePrincipal authenticateForContainer(
            HttpServletRequest request, HttpServletResponse response, boolean mandatory)
            throws IOException, ServletException {
        RolebridgePrincipal principal = login.signedIn(request);
        if (principal != null || !mandatory) {
            return principal;
        }
        String path = pathOf(request);
        if (isScimPath(path)) {
            scim.serve(request, response, path);
            return null;
        }
        try {
            if (isOwnPath(path)) {
                ownPath(request, response, path);
            } else if (!refusedAsCrossSite(request, response, path)) {
                return login.authenticate(request, response);
            }
        } catch (LoginFailedException e) {
            refused(request, response, path, e);
        } catch (RuntimeException e) {
            refused(request, response, path, new LoginFailedException(LoginFailedException.Reason.INTERNAL, null, e));
        }
        return null;
    }

    /**
     * The membership store of this filter, opened on first use: what changes it makes (an administrator's, a
     * deactivation) reach this node's sessions at their next request, other nodes' within
     * {@code roleRefreshSeconds}.
     */
    MembershipStore store() {
        return builtInHook.store();
    }

    /** {@code request.logout()} through the container: the session forgets the sign-in. */
    void forgetSignIn(HttpServletRequest request) {
        login.forgetSignIn(request);
    }

    /** The path inside the application as the container normalised and decoded it, never the raw URI. */
    static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        if (servletPath == null || servletPath.isEmpty()) { // mapped by /*: nothing to join, every request
            return pathInfo == null || pathInfo.isEmpty() ? "/" : pathInfo;
        }
        return pathInfo == null ? servletPath : servletPath + pathInfo;
    }

    @Override
    public void destroy() {
        if (context != null) {
            context.removeAttribute(INSTANCE_ATTRIBUTE);
            ContainerSecurity.uninstall(context);
            StartupConfiguration.forget(context);
        }
        if (login != null) {
            login.close();
        }
    }
}
