package dev.rolebridge.web;

import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.config.ParameterReader;
import dev.rolebridge.internal.config.RolebridgeSettings;
import jakarta.servlet.ServletContext;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;

/**
 * The filter's configuration, read once per application start: the initializer reads it (it needs the session
 * cookie and container-security settings before any request), the filter takes the same result, or reads
 * anew if its parameters differ from those the initializer saw (another initializer changed them).
 */
final class StartupConfiguration {

    /** Servlet context attribute holding the last {@link Read}. */
    private static final String ATTRIBUTE = "dev.rolebridge.startupConfiguration";

    /** One reading: the settings, or the problems that kept them from being made. */
    private record Read(
            Map<String, String> parameters, RolebridgeSettings settings, RolebridgeConfigurationException failure) {}

    private StartupConfiguration() {}

    /**
     * The settings for {@code parameters}, read at most once per application start.
     *
     * @throws RolebridgeConfigurationException listing every problem of every part
     */
    static RolebridgeSettings read(ServletContext context, Map<String, String> parameters, DeclaredSecurity declared) {
        if (context.getAttribute(ATTRIBUTE) instanceof Read earlier
                && earlier.parameters().equals(parameters)) {
            return settingsOf(earlier);
        }
        Read read;
        try {
            read = new Read(
                    Map.copyOf(parameters),
                    RolebridgeSettings.read(
                            ParameterReader.of(parameters, System::getenv, System::getProperty),
                                    context.getContextPath(),
                            declared.names(), workDirectory(context)),
                    null);
        } catch (RolebridgeConfigurationException e) {
            read = new Read(Map.copyOf(parameters), null, e);
        }
        context.setAttribute(ATTRIBUTE, read);
        return settingsOf(read);
    }

    /** Forgets the reading when the application stops (a redeployed application reads anew). */
    static void forget(ServletContext context) {
        context.removeAttribute(ATTRIBUTE);
    }

    private static RolebridgeSettings settingsOf(Read read) {
        if (read.failure() != null) {
            throw read.failure();
        }
        return read.settings();
    }

    /** Where the container keeps this application's work files (the embedded database goes there). */
    static Path workDirectory(ServletContext context) {
        Object dir = context.getAttribute(ServletContext.TEMPDIR);
        if (dir instanceof File file) {
            return file.toPath().resolve("rolebridge");
        }
        return RolebridgeSettings.defaultWorkDirectory(context.getContextPath());
    }
}
