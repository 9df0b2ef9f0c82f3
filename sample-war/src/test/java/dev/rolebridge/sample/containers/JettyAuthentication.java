package dev.rolebridge.sample.containers;

import jakarta.security.auth.message.config.AuthConfigFactory;
import org.eclipse.jetty.ee10.security.jaspi.DefaultAuthConfigFactory;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.jboss.arquillian.container.jetty.embedded_12_ee10.WebAppContextProcessor;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;

/**
 * Jakarta Authentication for the Jetty run of the matrix: what a Jetty server's {@code ee10-jaspi} module sets up,
 * done for the embedded Jetty that Arquillian starts (README, "Declarative security", lists the same for a real
 * Jetty): the default {@code AuthConfigFactory}, and the Jakarta Authentication API visible to the web
 * application, whose Rolebridge jar implements a module (Jetty's {@code JaspiConfiguration} hides it from web
 * applications). Registered only where Jetty's classes are on the class path.
 */
public final class JettyAuthentication implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        if (present("org.jboss.arquillian.container.jetty.embedded_12_ee10.WebAppContextProcessor")
                && present("org.eclipse.jetty.ee10.security.jaspi.DefaultAuthConfigFactory")) {
            builder.service(WebAppContextProcessor.class, Processor.class);
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, JettyAuthentication.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Applied to the web application before Jetty starts it. */
    public static final class Processor implements WebAppContextProcessor {
        @Override
        public void process(WebAppContext context, Archive<?> archive) {
            if (AuthConfigFactory.getFactory() == null) {
                AuthConfigFactory.setFactory(new DefaultAuthConfigFactory());
            }
            context.getHiddenClassMatcher().exclude("jakarta.security.auth.message.");
        }
    }
}
