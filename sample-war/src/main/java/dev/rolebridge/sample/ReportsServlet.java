package dev.rolebridge.sample;

import dev.rolebridge.sample.data.Employee;
import dev.rolebridge.sample.data.Expense;
import dev.rolebridge.sample.data.ExpenseDatabase;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;

/** Spending per employee: for builders and administrators, checked the way the application always did. */
public class ReportsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.isUserInRole("builder") && !request.isUserInRole("admin")) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Builders and administrators only");
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
