package dev.rolebridge.sample;

import dev.rolebridge.sample.data.Employee;
import dev.rolebridge.sample.data.ExpenseDatabase;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The legacy administration area: employees with the role the application recorded for them, and expenses to
 * approve. Only for the {@code admin} role: the container enforces it ({@code @ServletSecurity}), and the servlet
 * still checks it the way the application always did.
 */
@ServletSecurity(@HttpConstraint(rolesAllowed = "admin"))
public class AdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.isUserInRole("admin")) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Administrators only");
            return;
        }
        ExpenseDatabase db = ExpenseDatabase.current();
        String base = Page.esc(request.getContextPath());
        PrintWriter out = Page.open(response, request.getContextPath(), "Administration");
        out.println("<p id=\"admin\">Welcome, administrator " + Page.esc(request.getRemoteUser()) + ".</p>");
        out.println("<h2>Employees</h2><table id=\"employees\"><tr><th>User</th><th>E-mail</th><th>Role</th>"
                + "<th>Last sign-in</th></tr>");
        for (Employee employee : db.employees()) {
            out.println("<tr data-username=\"" + Page.esc(employee.getUsername()) + "\"><td>"
                    + Page.esc(employee.getUsername()) + "</td><td>" + Page.esc(employee.getEmail())
                    + "</td><td class=\"role\">" + Page.esc(employee.getRole().getCode()) + "</td><td>"
                    + employee.getLastSignIn() + "</td></tr>");
        }
        out.println("</table>");
        out.println("<h2>Expenses to approve</h2>");
        ApprovalsServlet.pendingTable(out, db.pending(), base + "/admin/approve");
        Page.close(out);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.isUserInRole("admin")) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Administrators only");
            return;
        }
        if (!"/approve".equals(request.getPathInfo())) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        ApprovalsServlet.approve(request, response, "/admin/");
    }
}
