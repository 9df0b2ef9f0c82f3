package dev.rolebridge.sample;

import dev.rolebridge.sample.data.Employee;
import dev.rolebridge.sample.data.Expense;
import dev.rolebridge.sample.data.ExpenseDatabase;
import jakarta.annotation.security.DeclareRoles;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;

/**
 * Spending per employee: for builders and administrators, checked the way the application always did, and for
 * auditors, a role this servlet declares by annotation (Rolebridge learns it at start-up and maps the IdP group
 * {@code auditor} onto it with no configuration).
 */
@DeclareRoles("auditor")
public class ReportsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.isUserInRole("builder") && !request.isUserInRole("admin") && !request.isUserInRole("auditor")) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Builders, administrators and auditors only");
            return;
        }
        ExpenseDatabase db = ExpenseDatabase.current();
        PrintWriter out = Page.open(response, request.getContextPath(), "Reports");
        out.println("<table id=\"report\"><tr><th>Employee</th><th>Expenses</th><th>Total</th></tr>");
        for (Employee employee : db.employees()) {
            var expenses = db.expensesOf(employee.getUsername());
            BigDecimal total = expenses.stream().map(Expense::getAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
            out.println("<tr><td>" + Page.esc(employee.getUsername()) + "</td><td>" + expenses.size() + "</td><td>"
                    + total + "</td></tr>");
        }
        out.println("</table>");
        Page.close(out);
    }
}
