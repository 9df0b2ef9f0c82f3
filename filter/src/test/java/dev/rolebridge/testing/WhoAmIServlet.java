package dev.rolebridge.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * A stand-in for a legacy page: prints what the servlet API says about the caller, one {@code key=value} per
 * line, and answers {@code isUserInRole} for every {@code role} parameter.
 */
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Legacy forms post here without any CSRF token. */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws IOException, jakarta.servlet.ServletException {
        doGet(request, response);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException, jakarta.servlet.ServletException {
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = response.getWriter();
        if (request.getParameter("authenticate") != null && !request.authenticate(response)) {
            return; // the container answered: a challenge
        }
        if (request.getParameter("containerLogout") != null) {
            try {
                request.logout();
            } catch (jakarta.servlet.ServletException e) {
                throw new IOException(e);
            }
        }
        out.println("path=" + request.getRequestURI());
        out.println("remoteUser=" + request.getRemoteUser());
        out.println("principal="
                + (request.getUserPrincipal() == null
                        ? null
                        : request.getUserPrincipal().getName()));
        out.println("authType=" + request.getAuthType());
        if (request.getUserPrincipal() instanceof dev.rolebridge.RolebridgePrincipal principal) {
            out.println("principalRoles=" + new java.util.TreeSet<>(principal.roles()));
            out.println("subject=" + principal.subject());
        }
        String[] roles = request.getParameterValues("role");
        if (roles != null) {
            for (String role : roles) {
                out.println("role." + role + "=" + request.isUserInRole(role));
            }
        }
        String set = request.getParameter("set");
        if (set != null) {
            request.getSession(true).setAttribute(set, "planted");
        }
        String[] shown = request.getParameterValues("show");
        if (shown != null && request.getSession(false) != null) {
            for (String name : shown) {
                out.println("attr." + name + "=" + request.getSession(false).getAttribute(name));
            }
        }
        out.println("session="
                + (request.getSession(false) == null
                        ? null
                        : request.getSession(false).getId()));
    }
}
