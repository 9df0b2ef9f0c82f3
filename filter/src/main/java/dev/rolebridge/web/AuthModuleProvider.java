package dev.rolebridge.web;

import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.config.AuthConfigProvider;
import jakarta.security.auth.message.config.ClientAuthConfig;
import jakarta.security.auth.message.config.ServerAuthConfig;
import jakarta.security.auth.message.config.ServerAuthContext;
import jakarta.security.auth.message.module.ServerAuthModule;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;

/**
 * The provider, configuration and context that Jakarta Authentication's {@code registerServerAuthModule}
 * builds around one module, written out for containers whose factory does not implement that method (Jetty
 * 12.0's throws {@code UnsupportedOperationException}): {@link ContainerSecurity} registers it with
 * {@code registerConfigProvider} instead. Every request gets the one module, initialised once with the
 * container's callback handler.
 */
final class AuthModuleProvider implements AuthConfigProvider {

    private final ServerAuthModule module;

    AuthModuleProvider(ServerAuthModule module) {
        this.module = module;
    }

    @Override
    public ClientAuthConfig getClientAuthConfig(String layer, String appContext, CallbackHandler handler) {
        return null;
    }

    @Override
    public ServerAuthConfig getServerAuthConfig(String layer, String appContext, CallbackHandler handler)
            throws AuthException {
        module.initialize(null, null, handler, Map.of());
        return new Config(layer, appContext);
    }

    @Override
    public void refresh() {}

    private final class Config implements ServerAuthConfig, ServerAuthContext {
        private final String layer;
        private final String appContext;

        Config(String layer, String appContext) {
            this.layer = layer;
            this.appContext = appContext;
        }

        @Override
        public ServerAuthContext getAuthContext(
                String authContextID, Subject serviceSubject, @SuppressWarnings("rawtypes") Map properties) {
            return this;
        }

        @Override
        public String getMessageLayer() {
            return layer;
        }

        @Override
        public String getAppContext() {
            return appContext;
        }

        @Override
        public String getAuthContextID(MessageInfo messageInfo) {
            return appContext;
        }

        @Override
        public void refresh() {}

        @Override
        public boolean isProtected() {
            return false;
        }

        @Override
        public AuthStatus validateRequest(MessageInfo messageInfo, Subject client, Subject service)
                throws AuthException {
            return module.validateRequest(messageInfo, client, service);
        }

        @Override
        public AuthStatus secureResponse(MessageInfo messageInfo, Subject service) throws AuthException {
            return module.secureResponse(messageInfo, service);
        }

        @Override
        public void cleanSubject(MessageInfo messageInfo, Subject subject) throws AuthException {
            module.cleanSubject(messageInfo, subject);
        }
    }

    /** Registers the provider for a web application as the container looks it up. */
    static String register(AuthConfigFactory factory, ServerAuthModule module, String appContext) {
        return factory.registerConfigProvider(
                new AuthModuleProvider(module), "HttpServlet", appContext, "Rolebridge sign-in");
    }
}
