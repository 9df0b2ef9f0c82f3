package dev.rolebridge.web;

import dev.rolebridge.config.RolebridgeConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.HandlesTypes;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers {@link RolebridgeFilter} on {@code /*}, ahead of the application's own filters, when a class of
 * the application carries {@link RolebridgeConfig} and {@code web.xml} declares no Rolebridge filter. When
 * {@code web.xml} does declare one, that filter is used and the annotation supplies its defaults. Without the
 * annotation this initializer does nothing: having the jar on the class path never protects an application
 * by surprise.
 */
@HandlesTypes(RolebridgeConfig.class)
public class RolebridgeInitializer implements ServletContainerInitializer {

    private static final Logger LOG = dev.rolebridge.Logs.escaping(LoggerFactory.getLogger(RolebridgeInitializer.class));

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        if (classes == null) {
            return;
        }
        List<Class<?>> annotated = classes.stream().filter(c -> c.isAnnotationPresent(RolebridgeConfig.class)).toList();
        if (annotated.isEmpty()) {
            return;
        }
        if (annotated.size() > 1) {
            throw new ServletException("@RolebridgeConfig is on several classes " + annotated.stream()
                    .map(Class::getName).sorted().toList() + "; keep it on one");
        }
        context.setAttribute(RolebridgeFilter.CONFIG_CLASS_ATTRIBUTE, annotated.get(0));
        boolean declared = context.getFilterRegistrations().values().stream()
                .anyMatch(r -> RolebridgeFilter.class.getName().equals(r.getClassName()));
        if (declared) {
            LOG.info("@RolebridgeConfig on {} supplies defaults to the filter declared in web.xml",
                    annotated.get(0).getName());
            return;
        }
        FilterRegistration.Dynamic registration = context.addFilter("rolebridge", RolebridgeFilter.class);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        LOG.info("Rolebridge filter registered on /* from @RolebridgeConfig on {}", annotated.get(0).getName());
    }
}
