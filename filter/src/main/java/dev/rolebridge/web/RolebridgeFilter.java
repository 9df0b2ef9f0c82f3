package dev.rolebridge.web;

import dev.rolebridge.RolebridgeException;
import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.config.RolebridgeConfig;
import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.config.RolebridgeSettings;
import dev.rolebridge.mapping.MappingConfig;
import dev.rolebridge.oidc.LoginFailedException;
import dev.rolebridge.oidc.OidcLogin;
import dev.rolebridge.oidc.SharedLogouts;
import dev.rolebridge.sync.MembershipSyncHook;
import dev.rolebridge.store.DefaultSyncHook;
import dev.rolebridge.store.StoreSettings;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.lang.reflect.Constructor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    public static final String CONFIG_CLASS_ATTRIBUTE = "dev.rolebridge.configClass";

    /** Servlet context attribute holding the started filter, for the container's authentication module. */
    private static final String INSTANCE_ATTRIBUTE = RolebridgeFilter.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(RolebridgeFilter.class);

    private RolebridgeSettings settings;
    private OidcLogin login;
    private ServletContext context;

    @Override
    public final void init(FilterConfig filterConfig) throws ServletException {
        ServletContext context = filterConfig.getServletContext();
        try {
            DeclaredSecurity declared = DeclaredSecurity.stored(context);
            settings = RolebridgeSettings.fromParameters(parameters(filterConfig), context.getContextPath(),
                    declared.names());
            if (context.getAttribute(ContainerSecurity.PROBLEM_ATTRIBUTE) instanceof String problem) {
                throw new RolebridgeConfigurationException(List.of(problem));
            }
            logRoles(settings.mapping(), declared);
            if (settings.syncHook() != null) {
                loadHookClass(settings.syncHook()); // a wrong class name fails start-up before any database work
            }
            DefaultSyncHook defaultHook = DefaultSyncHook.start(
                    StoreSettings.fromParameters(settings.parameters(), workDirectory(context)), settings.mapping());
            login = new OidcLogin(settings, createHook(settings, defaultHook), new DatabaseLogouts(defaultHook));
            login.connect();
        } catch (RolebridgeException e) {
            LOG.error(e.getMessage());
            throw new ServletException(e.getMessage(), e);
        }
        this.context = context;
        context.setAttribute(INSTANCE_ATTRIBUTE, this);
        LOG.info("Rolebridge protects {} (callback {}, logout {}, excluded {})",
                context.getContextPath().isEmpty() ? "/" : context.getContextPath(), settings.callbackPath(),
                settings.logoutPath(), settings.excludedPaths());
    }

    /** Says once which roles the application declares, and where each was found. */
    private static void logRoles(MappingConfig mapping, DeclaredSecurity declared) {
        if (declared.names().isEmpty()) {
            LOG.info("The application declares no roles; its roles are those of rolePriority {}", mapping.rolePriority());
        } else if (mapping.useDeclaredRoles()) {
            LOG.info("Roles the application declares ({}), each granted by the app group of its name: {}",
                    declared.names().size(), String.join("; ", declared.describe()));
        } else {
            LOG.info("declaredRoles is false: the {} role(s) the application declares get no role groups: {}",
                    declared.names().size(), String.join("; ", declared.describe()));
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
            params.putAll(RolebridgeConfig.Attributes.of(annotated.getAnnotation(RolebridgeConfig.class)));
        }
        params.putAll(initParams);
        return params;
    }

    private static MembershipSyncHook createHook(RolebridgeSettings settings, DefaultSyncHook defaultHook) {
        String className = settings.syncHook();
        if (className == null) {
            return defaultHook;
        }
        Class<?> type = loadHookClass(className);
        try {
            try {
                Constructor<?> wrapping = type.getConstructor(MembershipSyncHook.class);
                return (MembershipSyncHook) wrapping.newInstance(defaultHook);
            } catch (NoSuchMethodException e) {
                return (MembershipSyncHook) type.getConstructor().newInstance();
            }
        } catch (NoSuchMethodException e) {
            throw problem(className, "needs a public constructor taking a MembershipSyncHook, or a public "
                    + "no-argument constructor");
        } catch (ReflectiveOperationException e) {
            throw problem(className, "could not be created: " + e.getCause());
        }
    }

    private static Class<?> loadHookClass(String className) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(className, true,
                    loader != null ? loader : RolebridgeFilter.class.getClassLoader());
            if (!MembershipSyncHook.class.isAssignableFrom(type)) {
                throw problem(className, "does not implement dev.rolebridge.sync.MembershipSyncHook");
            }
            return type;
        } catch (ClassNotFoundException e) {
            throw problem(className, "names no class visible to the web application");
        }
    }

    /** Where the container keeps this application's work files (the embedded database goes there). */
    private static Path workDirectory(ServletContext context) {
        Object dir = context.getAttribute(ServletContext.TEMPDIR);
        if (dir instanceof File file) {
            return file.toPath().resolve("rolebridge");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "rolebridge",
                context.getContextPath().isEmpty() ? "ROOT" : context.getContextPath().substring(1).replace('/', '#'));
    }

    /**
     * Back-channel logouts shared by the nodes through the membership database. Events older than a day are
     * deleted, by whichever node gets there first, at most once an hour per node.
     */
    private static final class DatabaseLogouts implements SharedLogouts {
        private static final Duration KEEP = Duration.ofDays(1);
        private final DefaultSyncHook hook;
        private volatile Instant nextCleanup = Instant.now();

        DatabaseLogouts(DefaultSyncHook hook) {
            this.hook = hook;
        }

        @Override
        public boolean record(String issuer, String subject, String sid, String jti, Instant at) {
            return hook.store().recordLogout(issuer, subject, sid, jti, at);
        }

        @Override
        public List<Event> since(Instant since, int limit) {
            Instant now = Instant.now();
            if (now.isAfter(nextCleanup)) {
                nextCleanup = now.plus(Duration.ofHours(1));
                hook.store().deleteLogoutsBefore(now.minus(KEEP));
            }
            return hook.store().logoutsSince(since, limit).stream()
                    .map(e -> new Event(e.issuer(), e.subject(), e.sid(), e.at())).toList();
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
        try {
            if (path.equals(settings.callbackPath())) {
                login.callback(request, response);
            } else if (path.equals(settings.logoutPath())) {
                login.logout(request, response);
            } else if (path.equals(settings.backChannelLogoutPath())) {
                login.backChannelLogout(request, response);
            } else if (settings.excludedPaths().matches(path)) {
                chain.doFilter(request, response);
            } else if (request.getAttribute(RolebridgeAuthModule.AUTHENTICATED_ATTRIBUTE) instanceof RolebridgePrincipal p) {
                chain.doFilter(new RolebridgeRequest(request, p, true, login::forgetSignIn), response); // by the container
            } else {
                RolebridgePrincipal principal = login.authenticate(request, response);
                if (principal != null) {
                    chain.doFilter(new RolebridgeRequest(request, principal, false, login::forgetSignIn), response);
                }
            }
        } catch (LoginFailedException e) {
            refused(request, response, path, e);
        }
    }

    private static void refused(HttpServletRequest request, HttpServletResponse response, String path,
            LoginFailedException e) throws IOException {
        Throwable cause = e.getCause();
        LOG.warn("sign-in refused ({}) for {} {}: {}{}", e.reason(), request.getMethod(), path,
                e.detail() == null ? e.reason().title() : e.detail(),
                cause instanceof RolebridgeException ? " - " + cause.getMessage() : "");
        LOG.debug("sign-in refusal cause", cause);
        ErrorPage.send(request, response, e);
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
    RolebridgePrincipal authenticateForContainer(HttpServletRequest request, HttpServletResponse response,
            boolean mandatory) throws IOException, ServletException {
        RolebridgePrincipal principal = login.signedIn(request);
        if (principal != null || !mandatory) {
            return principal;
        }
        String path = pathOf(request);
        try {
            if (path.equals(settings.callbackPath())) {
                login.callback(request, response);
            } else if (path.equals(settings.logoutPath())) {
                login.logout(request, response);
            } else if (path.equals(settings.backChannelLogoutPath())) {
                login.backChannelLogout(request, response);
            } else {
                return login.authenticate(request, response);
            }
        } catch (LoginFailedException e) {
            refused(request, response, path, e);
        }
        return null;
    }

    /** {@code request.logout()} through the container: the session forgets the sign-in. */
    void forgetSignIn(HttpServletRequest request) {
        login.forgetSignIn(request);
    }

    /** The path inside the application as the container normalised and decoded it, never the raw URI. */
    static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = pathInfo == null ? servletPath : servletPath + pathInfo;
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public void destroy() {
        if (context != null) {
            context.removeAttribute(INSTANCE_ATTRIBUTE);
            ContainerSecurity.uninstall(context);
        }
        if (login != null) {
            login.close();
        }
    }
}
