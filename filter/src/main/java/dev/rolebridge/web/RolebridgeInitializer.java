package dev.rolebridge.web;

import dev.rolebridge.config.RolebridgeConfig;
import dev.rolebridge.config.RolebridgeSettings;
import dev.rolebridge.RolebridgeException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.annotation.HandlesTypes;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 */
@HandlesTypes(RolebridgeConfig.class)
public class RolebridgeInitializer implements ServletContainerInitializer {

    private static final Logger LOG = dev.rolebridge.Logs.escaping(LoggerFactory.getLogger(RolebridgeInitializer.class));

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        List<Class<?>> annotated = classes == null ? List.of()
                : classes.stream().filter(c -> c.isAnnotationPresent(RolebridgeConfig.class)).toList();
        if (annotated.size() > 1) {
            throw new ServletException("@RolebridgeConfig is on several classes " + annotated.stream()
                    .map(Class::getName).sorted().toList() + "; keep it on one");
        }
        Optional<? extends FilterRegistration> declared = context.getFilterRegistrations().values().stream()
                .filter(r -> RolebridgeFilter.class.getName().equals(r.getClassName())).findFirst();
        if (annotated.isEmpty() && declared.isEmpty()) {
            return;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (!annotated.isEmpty()) {
            context.setAttribute(RolebridgeFilter.CONFIG_CLASS_ATTRIBUTE, annotated.get(0));
            parameters.putAll(RolebridgeConfig.Attributes.of(annotated.get(0).getAnnotation(RolebridgeConfig.class)));
        }
        declared.ifPresent(r -> parameters.putAll(r.getInitParameters()));
        configureSessionCookie(context, parameters);
        if (annotated.isEmpty()) {
            return;
        }
        if (declared.isPresent()) {
            LOG.info("@RolebridgeConfig on {} supplies defaults to the filter declared in web.xml",
                    annotated.get(0).getName());
            return;
        }
        FilterRegistration.Dynamic registration = context.addFilter("rolebridge", RolebridgeFilter.class);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        LOG.info("Rolebridge filter registered on /* from @RolebridgeConfig on {}", annotated.get(0).getName());
    }

    private static void configureSessionCookie(ServletContext context, Map<String, String> parameters) {
        RolebridgeSettings settings;
        try {
            settings = RolebridgeSettings.fromParameters(parameters, context.getContextPath());
        } catch (RolebridgeException e) {
            return; // the filter reports the misconfiguration and stops the application
        }
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
