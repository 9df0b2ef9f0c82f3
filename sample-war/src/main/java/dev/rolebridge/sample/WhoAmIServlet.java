package dev.rolebridge.sample;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.sample.data.AppRole;
import dev.rolebridge.sample.data.Employee;
import dev.rolebridge.sample.data.ExpenseDatabase;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * "Who am I": what this sign-in made of the user. The session's user name, groups and roles come from the
 * servlet API (and Rolebridge's principal); the provider's groups, the role written into {@code EMPLOYEE} and
 * the mapping trace come from the application's own table, where {@link EmployeeRoleSyncHook} put them.
 */
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ExpenseDatabase db = ExpenseDatabase.current();
        String user = request.getRemoteUser();
        Optional<Employee> employee = db.employee(user);
        PrintWriter out = Page.open(response, request.getContextPath(), "Who am I");
        out.println("<dl>");
        item(out, "User name", "user", user);
        if (request.getUserPrincipal() instanceof RolebridgePrincipal principal) {
            item(out, "Issuer", "issuer", principal.issuer());
            item(out, "Groups in this application", "groups", String.join(", ", principal.groups()));
            item(
                    out,
                    "Primary role",
                    "primary-role",
                    principal.primaryRole() != null ? principal.primaryRole() : "(the sync hook ranks no roles)");
        }
        item(
                out,
                "Groups at the provider (last sign-in)",
                "provider-groups",
                employee.map(e -> e.getLastProviderGroups().isEmpty()
                                ? "(none)"
                                : String.join(", ", e.getLastProviderGroups()))
                        .orElse("(unknown)"));
        item(
                out,
                "Role in the EMPLOYEE table",
                "employee-role",
                employee.map(e -> e.getRole().getCode()).orElse("(not recorded)"));
        item(
                out,
                "Last sign-in",
                "last-sign-in",
                employee.map(e -> String.valueOf(e.getLastSignIn())).orElse("(not recorded)"));
        out.println("</dl>");
        out.println("<h2>Roles this session grants</h2><ul id=\"roles\">");
        for (String role : Page.grantedRoles(
                request, db.roles().stream().map(AppRole::getCode).toList())) {
            out.println("<li>" + Page.esc(role) + "</li>");
        }
        out.println("</ul>");
        if (request.getUserPrincipal() instanceof RolebridgePrincipal principal) {
            out.println(
                    "<p>Every name <code>isUserInRole</code> answers for (roles and groups): <span id=\"all-roles\">"
                            + Page.esc(String.join(", ", new TreeSet<>(principal.roles()))) + "</span></p>");
        }
        out.println("<h2>How the last sign-in was mapped</h2><ol id=\"trace\">");
        for (String line : employee.map(Employee::getLastSignInTrace).orElse(List.of())) {
            out.println("<li>" + Page.esc(line) + "</li>");
        }
        out.println("</ol>");
        Page.close(out);
    }

    private static void item(PrintWriter out, String label, String id, String value) {
        out.println("<dt>" + Page.esc(label) + "</dt><dd id=\"" + id + "\">" + Page.esc(value) + "</dd>");
    }
}
