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
public final class RolebridgeAuthModule implements ServerAuthModule {

    /** Request attribute set when this module authenticated the request: the filter then leaves it unwrapped. */
    static final String AUTHENTICATED_ATTRIBUTE = "dev.rolebridge.authenticatedByContainer";

    private static final String MANDATORY = "jakarta.security.auth.message.MessagePolicy.isMandatory";

    private CallbackHandler handler;

    @Override
    public void initialize(MessagePolicy requestPolicy, MessagePolicy responsePolicy, CallbackHandler handler,
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
        boolean mandatory = Boolean.parseBoolean(String.valueOf(messageInfo.getMap().get(MANDATORY)));
        RolebridgeFilter filter = RolebridgeFilter.of(request.getServletContext());
        RolebridgePrincipal principal;
        if (filter == null) {
            // the filter did not start (its error is in the log): nobody can sign in
            principal = null;
        } else {
            try {
                principal = filter.authenticateForContainer(request, response, mandatory);
            } catch (IOException | ServletException e) {
                throw (AuthException) new AuthException("Rolebridge could not answer the sign-in: " + e.getMessage()).initCause(e);
            }
        }
        if (principal != null) {
            handle(new CallerPrincipalCallback(client, principal),
                    new GroupPrincipalCallback(client, principal.roles().toArray(String[]::new)));
            request.setAttribute(AUTHENTICATED_ATTRIBUTE, principal);
            return AuthStatus.SUCCESS;
        }
        if (!mandatory) {
            handle(new CallerPrincipalCallback(client, (java.security.Principal) null)); // anonymous
            return AuthStatus.SUCCESS;
        }
        if (filter == null && !response.isCommitted()) {
            try {
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            } catch (IOException e) {
                // the client is gone
            }
        }
        return AuthStatus.SEND_CONTINUE; // the filter answered: a redirect to the provider, 401 or an error page
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
