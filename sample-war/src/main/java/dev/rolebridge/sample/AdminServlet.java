package dev.rolebridge.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** The legacy administration area: only for the {@code admin} role, checked the way the application always did. */
public class AdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.isUserInRole("admin")) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Administrators only");
            return;
        }
        PrintWriter out = Page.open(response, request.getContextPath(), "Administration");
        out.println("<p id=\"admin\">Welcome, administrator " + Page.esc(request.getRemoteUser()) + ".</p>");
        Page.close(out);
    }
}
