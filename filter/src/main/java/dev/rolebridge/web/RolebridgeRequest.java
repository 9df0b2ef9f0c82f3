package dev.rolebridge.web;

import dev.rolebridge.RolebridgePrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/**
 * The request behind the filter once a user is signed in: {@code getRemoteUser()},
 * {@code getUserPrincipal()}, {@code getAuthType()} and {@code isUserInRole(...)} answer from the login.
 */
final class RolebridgeRequest extends HttpServletRequestWrapper {

    /** What {@link #getAuthType()} answers. */
    static final String AUTH_TYPE = "OIDC";

    private final RolebridgePrincipal principal;

    RolebridgeRequest(HttpServletRequest request, RolebridgePrincipal principal) {
        super(request);
        this.principal = principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.getName();
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getAuthType() {
        return AUTH_TYPE;
    }

    /** {@code "**"} (any authenticated user, Servlet 3.1) is always granted; other names are exact. */
    @Override
    public boolean isUserInRole(String role) {
        return role != null && ("**".equals(role) || principal.roles().contains(role));
    }
}
