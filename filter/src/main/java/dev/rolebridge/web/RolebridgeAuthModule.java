package dev.rolebridge.web;

import dev.rolebridge.RolebridgePrincipal;
import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.MessagePolicy;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import jakarta.security.auth.message.module.ServerAuthModule;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;

/**
 * Rolebridge's sign-in offered to the container through Jakarta Authentication, so that the container's own
 * declarative security ({@code <security-constraint>}, {@code @ServletSecurity}, {@code isUserInRole} answered
 * by the container, {@code request.authenticate()} and {@code request.logout()}) runs on the provider's login
 * and the mapped roles. {@link RolebridgeInitializer} registers it for the application when
 * {@code containerSecurity} asks for it; the sign-in itself is the filter's (this module only asks it).
 *
 * <p>For every request the container asks about: a signed-in session → the caller is Rolebridge's principal
 * and its groups are the names {@code isUserInRole} grants (roles and, with {@code groupsAsRoles}, app groups);
 * no session and the resource needs no user → anonymous; no session and the resource needs one → the browser
 * goes to the provider (API and XHR requests get 401), exactly as in filter mode.
 */
final class RolebridgeAuthModule implements ServerAuthModule {

    /** Request attribute set when this module authenticated the request: the filter then leaves it unwrapped. */
    static final String AUTHENTICATED_ATTRIBUTE = "dev.rolebridge.authenticatedByContainer";

    private static final String MANDATORY = "jakarta.security.auth.message.MessagePolicy.isMandatory";

    private CallbackHandler handler;

    @Override
    public void initialize(
            MessagePolicy requestPolicy,
            MessagePolicy responsePolicy,
            CallbackHandler handler,
            @SuppressWarnings("rawtypes") Map options) {
        this.handler = handler;
    }

    @Override
    public Class<?>[] getSupportedMessageTypes() {
        return new Class<?>[] {HttpServletRequest.class, HttpServletResponse.class};
    }

    @Override
    public AuthStatus validateRequest(MessageInfo messageInfo, Subject client, Subject service) throws AuthException {
        HttpServletRequest request = (HttpServletRequest) messageInfo.getRequestMessage();
        HttpServletResponse response = (HttpServletResponse) messageInfo.getResponseMessage();
        boolean mandatory = isMandatory(messageInfo, request);
        RolebridgeFilter filter = RolebridgeFilter.of(request.getServletContext());
        RolebridgePrincipal principal;
        if (filter == null) {
            // the filter did not start (its error is in the log): nobody can sign in
            principal = null;
        } else {
            try {
                principal = filter.authenticateForContainer(request, response, mandatory);
            } catch (IOException | ServletException e) {
                throw (AuthException)
                        new AuthException("Rolebridge could not answer the sign-in: " + e.getMessage()).initCause(e);
            }
        }
        if (principal != null) {
            handle(
                    new CallerPrincipalCallback(client, principal),
                    new GroupPrincipalCallback(client, principal.roles().toArray(String[]::new)));
            request.setAttribute(AUTHENTICATED_ATTRIBUTE, principal);
            return AuthStatus.SUCCESS;
        }
        if (!mandatory) {
            return AuthStatus.SUCCESS; // anonymous: no caller (Jetty would take even a null caller for a user)
        }
        if (filter == null && !response.isCommitted()) {
            try {
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            } catch (IOException e) {
                // the client is gone
            }
        }
        if (messageInfo.getClass().getName().startsWith("org.eclipse.jetty.")) {
            completeOnJetty(messageInfo);
        } else if (!response.isCommitted()) {
            // Sent now: Open Liberty answers a challenge it finds uncommitted with the application's own
            // <login-config> (its FORM page), which Rolebridge supersedes.
            try {
                response.flushBuffer();
            } catch (IOException e) {
                // the client is gone
            }
        }
        return AuthStatus.SEND_CONTINUE; // the filter answered: a redirect to the provider, 401 or an error page
    }

    /**
     * Jetty 12 asks a module before its servlet channel runs, and finishes a challenged exchange only when the
     * module completes the exchange's callback, which its message info hands out ({@code getCallback()}; a
     * response written through the servlet API alone never leaves). Other containers send what was written.
     */
    private static void completeOnJetty(MessageInfo messageInfo) {
        try {
            Object callback = messageInfo.getClass().getMethod("getCallback").invoke(messageInfo);
            if (callback != null) {
                Class.forName(
                                "org.eclipse.jetty.util.Callback",
                                false,
                                callback.getClass().getClassLoader())
                        .getMethod("succeeded")
                        .invoke(callback);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Jetty's message info did not let the challenge complete: " + e, e);
        }
    }

    /**
     * Whether the resource needs a user, as the container says in the message's map. Jetty 12.0.32 never puts
     * the key there (jetty/jetty.project#14165) and asks a module up front only about resources that need a
     * user; there a missing key means "mandatory".
     */
    private static boolean isMandatory(MessageInfo messageInfo, HttpServletRequest request) {
        Object value = messageInfo.getMap().get(MANDATORY);
        if (value == null) {
            return request.getClass().getName().startsWith("org.eclipse.jetty.");
        }
        return Boolean.parseBoolean(String.valueOf(value));
    }

    @Override
    public AuthStatus secureResponse(MessageInfo messageInfo, Subject service) {
        return AuthStatus.SEND_SUCCESS;
    }

    /** {@code request.logout()}: the container forgets the caller, and Rolebridge's session its sign-in. */
    @Override
    public void cleanSubject(MessageInfo messageInfo, Subject subject) {
        if (messageInfo.getRequestMessage() instanceof HttpServletRequest request) {
            RolebridgeFilter filter = RolebridgeFilter.of(request.getServletContext());
            if (filter != null) {
                filter.forgetSignIn(request);
            }
        }
        if (subject != null) {
            subject.getPrincipals().clear();
        }
    }

    private void handle(Callback... callbacks) throws AuthException {
        try {
            handler.handle(callbacks);
        } catch (IOException | UnsupportedCallbackException e) {
            throw (AuthException) new AuthException("the container refused the caller: " + e).initCause(e);
        }
    }
}
