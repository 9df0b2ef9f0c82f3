package dev.rolebridge.sample;

import dev.rolebridge.RolebridgePrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** The legacy home page: it only knows the servlet API's user and role calls. */
public class HomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String[] ROLES = {"admin", "builder", "end-user"};

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter out = Page.open(response, request.getContextPath(), "My expenses");
        out.println("<p>Signed in as <strong id=\"user\">" + Page.esc(request.getRemoteUser()) + "</strong></p>");
        out.println("<ul id=\"roles\">");
        for (String role : ROLES) {
            if (request.isUserInRole(role)) {
                out.println("<li>" + Page.esc(role) + "</li>");
            }
        }
        out.println("</ul>");
        if (request.getUserPrincipal() instanceof RolebridgePrincipal principal) {
            out.println("<p>Groups: <span id=\"groups\">" + Page.esc(String.join(", ", principal.groups()))
                    + "</span></p>");
        }
        Page.close(out);
    }
}
