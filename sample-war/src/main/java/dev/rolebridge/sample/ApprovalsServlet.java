package dev.rolebridge.sample;

import dev.rolebridge.sample.data.Expense;
import dev.rolebridge.sample.data.ExpenseDatabase;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Expenses waiting for approval, for approvers: {@code approver} is an independent role the application
 * declares in {@code web.xml} beside its ranked roles, so a builder may approve without being an administrator.
 * The container enforces it: {@code /approvals/*} is under a {@code <security-constraint>} in {@code web.xml},
 * so this servlet never sees a request from anyone else.
 */
public class ApprovalsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String base = Page.esc(request.getContextPath());
        PrintWriter out = Page.open(response, request.getContextPath(), "Approvals");
        out.println("<p id=\"approver\">Approving as " + Page.esc(request.getRemoteUser()) + ".</p>");
        pendingTable(out, ExpenseDatabase.current().pending(), base + "/approvals/");
        Page.close(out);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        approve(request, response, "/approvals/");
    }

    /** The expenses waiting for approval, each with an approve button posting its id to {@code action}. */
    static void pendingTable(PrintWriter out, java.util.List<Expense> pending, String action) {
        out.println("<table id=\"pending\"><tr><th>Employee</th><th>Date</th><th>Description</th><th>Amount</th>"
                + "<th></th></tr>");
        for (Expense expense : pending) {
            out.println("<tr><td>" + Page.esc(expense.getEmployee().getUsername()) + "</td><td>"
                    + expense.getSpentOn() + "</td><td>" + Page.esc(expense.getDescription()) + "</td><td>"
                    + expense.getAmount() + "</td><td><form method=\"post\" action=\"" + action + "\">"
                    + "<input type=\"hidden\" name=\"id\" value=\"" + expense.getId() + "\">"
                    + "<button type=\"submit\">Approve</button></form></td></tr>");
        }
        out.println("</table>");
    }

    /** Approves the expense the form names, as the signed-in user, and returns to {@code page}. */
    static void approve(HttpServletRequest request, HttpServletResponse response, String page) throws IOException {
        long id;
        try {
            id = Long.parseLong(String.valueOf(request.getParameter("id")));
        } catch (NumberFormatException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "Which expense?");
            return;
        }
        if (!ExpenseDatabase.current().approve(id, request.getRemoteUser())) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such expense");
            return;
        }
        response.sendRedirect(request.getContextPath() + page);
    }
}
