package dev.rolebridge.sample;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.sample.data.AppRole;
import dev.rolebridge.sample.data.Expense;
import dev.rolebridge.sample.data.ExpenseDatabase;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The legacy home page: the signed-in employee's expenses and a form to file one. It only knows the servlet
 * API's user and role calls, and the application's own tables.
 */
public class HomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ExpenseDatabase db = ExpenseDatabase.current();
        String user = request.getRemoteUser();
        PrintWriter out = Page.open(response, request.getContextPath(), "My expenses");
        out.println("<p>Signed in as <strong id=\"user\">" + Page.esc(user) + "</strong></p>");
        out.println("<p>Your roles:</p><ul id=\"roles\">");
        for (String role : Page.grantedRoles(
                request, db.roles().stream().map(AppRole::getCode).toList())) {
            out.println("<li>" + Page.esc(role) + "</li>");
        }
        out.println("</ul>");
        if (request.getUserPrincipal() instanceof RolebridgePrincipal principal) {
            out.println("<p>Groups: <span id=\"groups\">" + Page.esc(String.join(", ", principal.groups()))
                    + "</span></p>");
        }
        String problem = request.getParameter("problem");
        if (problem != null) {
            out.println("<p id=\"problem\" role=\"alert\">" + Page.esc(problem) + "</p>");
        }
        out.println("<table id=\"expenses\"><tr><th>Date</th><th>Description</th><th>Amount</th><th>Status</th></tr>");
        for (Expense expense : db.expensesOf(user)) {
            out.println("<tr><td>" + expense.getSpentOn() + "</td><td>" + Page.esc(expense.getDescription())
                    + "</td><td>" + expense.getAmount() + "</td><td class=\"status\">" + expense.getStatus()
                    + "</td></tr>");
        }
        out.println("</table>");
        out.println("<h2>File an expense</h2><form id=\"new-expense\" method=\"post\" action=\""
                + Page.esc(request.getContextPath()) + "/home\">"
                + "<label>Date <input type=\"date\" name=\"spentOn\" required></label> "
                + "<label>Description <input name=\"description\" maxlength=\"200\" required></label> "
                + "<label>Amount <input name=\"amount\" inputmode=\"decimal\" required></label> "
                + "<button type=\"submit\">Submit</button></form>");
        Page.close(out);
    }

    /** A classic form post, without any token: the application never had one, and Rolebridge does not demand it. */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String home = request.getContextPath() + "/home";
        try {
            LocalDate spentOn = LocalDate.parse(parameter(request, "spentOn"));
            String description = parameter(request, "description");
            BigDecimal amount = new BigDecimal(parameter(request, "amount"));
            if (description.isEmpty()
                    || description.length() > 200
                    || amount.signum() <= 0
                    || amount.scale() > 2
                    || amount.precision() - amount.scale() > 10) {
                throw new IllegalArgumentException();
            }
            ExpenseDatabase.current().submit(request.getRemoteUser(), spentOn, description, amount);
            response.sendRedirect(home);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            response.sendRedirect(home + "?problem="
                    + URLEncoder.encode(
                            "Give a date, a description (up to 200 characters) and a positive "
                                    + "amount with at most two decimals.",
                            StandardCharsets.UTF_8));
        }
    }

    private static String parameter(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null ? "" : value.strip();
    }
}
