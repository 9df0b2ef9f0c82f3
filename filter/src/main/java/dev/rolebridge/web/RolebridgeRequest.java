package dev.rolebridge.web;

import dev.rolebridge.RolebridgePrincipal;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.function.Consumer;

/**
 * The request behind the filter once a user is signed in: {@code getRemoteUser()},
 * {@code getUserPrincipal()} (Rolebridge's principal, whatever the container made of it), {@code getAuthType()}
 * and {@code isUserInRole(...)} answer from the login.
 */
final class RolebridgeRequest extends HttpServletRequestWrapper {

    /** What {@link #getAuthType()} answers. */
    static final String AUTH_TYPE = "OIDC";

    private final boolean askContainer;
    private final Consumer<HttpServletRequest> forgetSignIn;
    private RolebridgePrincipal principal;

    /**
     * @param askContainer the container authenticated the request (Jakarta Authentication): its own
     *     {@code isUserInRole}, with the application's {@code <security-role-ref>} links, is asked too
     * @param forgetSignIn what {@link #logout()} does to the session besides the container's logout
     */
    RolebridgeRequest(
            HttpServletRequest request,
            RolebridgePrincipal principal,
            boolean askContainer,
            Consumer<HttpServletRequest> forgetSignIn) {
        super(request);
        this.principal = principal;
        this.askContainer = askContainer;
        this.forgetSignIn = forgetSignIn;
    }

    /** {@code request.logout()}: the container's logout, then the session forgets the sign-in; the request is anonymous. */
    @Override
    public void logout() throws ServletException {
        super.logout();
        forgetSignIn.accept((HttpServletRequest) getRequest());
        principal = null;
    }

    @Override
    public String getRemoteUser() {
        return principal == null ? null : principal.getName();
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getAuthType() {
        return principal == null ? null : AUTH_TYPE;
    }

    /**
     * {@code "**"} (any authenticated user, Servlet 3.1) is always granted; other names are exact. When the
     * container authenticated the request, it is asked first (it applies {@code <security-role-ref>}); a name the
     * user holds is granted even where the container knows only declared roles (GlassFish).
     */
    @Override
    public boolean isUserInRole(String role) {
        return role != null
                && principal != null
                && ("**".equals(role)
                        || principal.roles().contains(role)
                        || (askContainer && super.isUserInRole(role)));
    }
}
