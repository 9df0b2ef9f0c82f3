package dev.rolebridge.web;

import dev.rolebridge.internal.config.RolebridgeSettings;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.servlet.ServletContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at start-up whether the container's declarative security runs on Rolebridge's sign-in
 * ({@code containerSecurity}: {@code auto} — when the application declares a constraint —, {@code on},
 * {@code off}), and registers {@link RolebridgeAuthModule} for the application through Jakarta
 * Authentication 3.0 ({@code AuthConfigFactory#registerServerAuthModule}). A container without Jakarta
 * Authentication, when the module is needed, is reported through {@link #PROBLEM_ATTRIBUTE}: the filter then
 * refuses to start, naming {@code containerSecurity}, rather than run with constraints nobody can satisfy.
 */
final class ContainerSecurity {

    /** Servlet context attribute: why the module could not be registered, for the filter to report. */
    static final String PROBLEM_ATTRIBUTE = "dev.rolebridge.containerSecurityProblem";

    /** Servlet context attribute: {@code Boolean.TRUE} once the module is registered. */
    static final String REGISTERED_ATTRIBUTE = "dev.rolebridge.containerSecurity";

    /** Servlet context attribute: the registration's id, to remove it when the application stops. */
    private static final String REGISTRATION_ATTRIBUTE = "dev.rolebridge.containerSecurityRegistration";

    private static final Logger LOG =
            dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(ContainerSecurity.class));

    private ContainerSecurity() {}

    /** Registers the module if {@code containerSecurity} and the declared constraints ask for it. */
    static void install(ServletContext context, DeclaredSecurity declared, RolebridgeSettings.ContainerSecurity mode) {
        if (mode == RolebridgeSettings.ContainerSecurity.OFF
                || (mode == RolebridgeSettings.ContainerSecurity.AUTO
                        && declared.constraints().isEmpty())) {
            LOG.debug("containerSecurity {}: filter mode", mode);
            return;
        }
        String why = mode == RolebridgeSettings.ContainerSecurity.ON
                ? "containerSecurity: 'on'"
                : "containerSecurity: 'auto' and the application declares security constraints ("
                        + String.join(", ", declared.constraints()) + ")";
        String problem = register(context);
        if (problem != null) {
            context.setAttribute(
                    PROBLEM_ATTRIBUTE,
                    why + ", which need Jakarta Authentication 3.0, but " + problem
                            + "; enable Jakarta Authentication in the container (see README, Declarative security) or set"
                            + " containerSecurity to 'off' and remove the constraints");
            return;
        }
        context.setAttribute(REGISTERED_ATTRIBUTE, true);
        LOG.info(
                "Rolebridge signs users in for the container's declarative security ({}){}",
                why.substring("containerSecurity: ".length()),
                declared.loginConfig() == null
                        ? ""
                        : "; the <login-config> in web.xml ("
                                + (declared.loginConfig().isEmpty() ? "no auth-method" : declared.loginConfig())
                                + ") is superseded");
    }

    /** Removes the module's registration when the application stops (a redeployed application registers anew). */
    static void uninstall(ServletContext context) {
        if (context.getAttribute(REGISTRATION_ATTRIBUTE) instanceof String id) {
            context.removeAttribute(REGISTRATION_ATTRIBUTE);
            context.removeAttribute(REGISTERED_ATTRIBUTE);
            try {
                AuthConfigFactory factory = AuthConfigFactory.getFactory();
                if (factory != null) {
                    factory.removeRegistration(id);
                }
            } catch (LinkageError | RuntimeException e) {
                LOG.debug("could not remove the Jakarta Authentication registration {}: {}", id, e.toString());
            }
        }
    }

    /** Registers the module for {@code context}; the reason when the container cannot, else {@code null}. */
    private static String register(ServletContext context) {
        try {
            AuthConfigFactory factory = AuthConfigFactory.getFactory();
            if (factory == null) {
                return "the container provides no AuthConfigFactory";
            }
            RolebridgeAuthModule module = new RolebridgeAuthModule();
            String id;
            try {
                id = factory.registerServerAuthModule(module, context);
            } catch (UnsupportedOperationException e) {
                // Jetty 12.0: no registerServerAuthModule; it looks providers up under "<virtual host or
                // 'server'> <context path>", the root context as "/"
                String host = context.getVirtualServerName() == null ? "server" : context.getVirtualServerName();
                String path = context.getContextPath().isEmpty() ? "/" : context.getContextPath();
                id = AuthModuleProvider.register(factory, module, host + " " + path);
            }
            context.setAttribute(REGISTRATION_ATTRIBUTE, id);
            return null;
        } catch (LinkageError e) {
            return "the container does not provide its API (" + e + ")";
        } catch (RuntimeException e) {
            return "the container refused the module (" + e + ")";
        }
    }
}
