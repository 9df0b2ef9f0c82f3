package dev.rolebridge.web;

import dev.rolebridge.RolebridgeException;
import dev.rolebridge.config.RolebridgeConfig;
import dev.rolebridge.internal.config.RolebridgeSettings;
import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.servlet.annotation.ServletSecurity;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers {@link RolebridgeFilter} on {@code /*}, ahead of the application's own filters, when a class of
 * the application carries {@link RolebridgeConfig} and {@code web.xml} declares no Rolebridge filter. When
 * {@code web.xml} does declare one, that filter is used and the annotation supplies its defaults. Without the
 * annotation or a declared filter this initializer does nothing: having the jar on the class path never
 * protects an application by surprise.
 *
 * <p>Where Rolebridge is in use it also sets the session cookie up, unless {@code configureSessionCookie} is
 * {@code false}: sessions are tracked by cookie only (never by a {@code ;jsessionid=} in URLs), and the cookie
 * is {@code HttpOnly}, {@code SameSite=Lax} and, when {@code callbackUrl} is https, {@code Secure}. What the
 * application configured itself (tracking modes, a {@code SameSite} attribute) is left as it is.
 *
 * <p>Where Rolebridge is in use it also learns what the application declares about its security (its roles, from {@code web.xml}, its
 * fragments and the classes carrying {@code @DeclareRoles}, {@code @RolesAllowed} or {@code @ServletSecurity};
 * its constraints), for the filter, and registers Rolebridge's Jakarta Authentication module when
 * {@code containerSecurity} asks for it (see {@link ContainerSecurity}).
 */
@HandlesTypes({RolebridgeConfig.class, DeclareRoles.class, RolesAllowed.class, ServletSecurity.class})
public class RolebridgeInitializer implements ServletContainerInitializer {

    private static final Logger LOG =
            dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(RolebridgeInitializer.class));

    @Override
    public void onStartup(Set<Class<?>> found, ServletContext context) throws ServletException {
        Set<Class<?>> classes = found == null ? Set.of() : found;
        List<Class<?>> annotated = classes.stream()
                .filter(c -> c.isAnnotationPresent(RolebridgeConfig.class))
                .toList();
        if (annotated.size() > 1) {
            throw new ServletException("@RolebridgeConfig is on several classes "
                    + annotated.stream().map(Class::getName).sorted().toList() + "; keep it on one");
        }
        Class<?> configClass = annotated.isEmpty() ? null : annotated.get(0);
        FilterRegistration filter = context.getFilterRegistrations().values().stream()
                .filter(r -> RolebridgeFilter.class.getName().equals(r.getClassName()))
                .findFirst()
                .orElse(null);
        if (configClass == null && filter == null) {
            return;
        }
        DeclaredSecurity declared = DeclaredSecurity.of(context, classes);
        context.setAttribute(DeclaredSecurity.ATTRIBUTE, declared);
        if (configClass != null) {
            context.setAttribute(RolebridgeFilter.CONFIG_CLASS_ATTRIBUTE, configClass);
            if (filter != null) {
                LOG.info(
                        "@RolebridgeConfig on {} supplies defaults to the filter declared in web.xml",
                        configClass.getName());
            } else {
                FilterRegistration.Dynamic registration = context.addFilter("rolebridge", RolebridgeFilter.class);
                registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
                LOG.info("Rolebridge filter registered on /* from @RolebridgeConfig on {}", configClass.getName());
                filter = registration;
            }
        }
        if (filter != null) {
            Map<String, String> parameters = RolebridgeFilter.parameters(configClass, filter.getInitParameters());
            RolebridgeSettings settings;
            try {
                settings = StartupConfiguration.read(context, parameters, declared);
            } catch (RolebridgeException e) {
                return; // the filter reports the misconfiguration, every problem at once, and stops the application
            }
            configureSessionCookie(context, settings);
            ContainerSecurity.install(context, declared, settings.containerSecurity());
        }
    }

    private static void configureSessionCookie(ServletContext context, RolebridgeSettings settings) {
        if (!settings.configureSessionCookie()) {
            return;
        }
        if (context.getEffectiveSessionTrackingModes().equals(context.getDefaultSessionTrackingModes())
                && context.getEffectiveSessionTrackingModes().contains(SessionTrackingMode.URL)) {
            // a session id in a URL leaks through Referer and logs, and lets anyone fix a victim's session
            context.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
        }
        SessionCookieConfig cookie = context.getSessionCookieConfig();
        cookie.setHttpOnly(true);
        if (cookie.getAttribute("SameSite") == null) {
            cookie.setAttribute("SameSite", "Lax");
        }
        if ("https".equalsIgnoreCase(settings.callbackUrl().getScheme())) {
            cookie.setSecure(true);
        }
    }
}
