package dev.rolebridge.sample;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The sample's page frame: a title, a menu and escaped text. */
final class Page {

    /**
     * The application's independent roles, declared beside its ranked roles (APP_ROLE): {@code approver} in
     * {@code web.xml}, {@code auditor} by {@code @DeclareRoles} on {@link ReportsServlet}.
     */
    static final List<String> DUTIES = List.of("approver", "auditor");

    private Page() {}

    /** The roles the application knows (its ranked APP_ROLE codes, then its duties) that the request grants. */
    static List<String> grantedRoles(jakarta.servlet.http.HttpServletRequest request, List<String> rankedCodes) {
        List<String> granted = new ArrayList<>();
        for (String role : rankedCodes) {
            if (request.isUserInRole(role)) {
                granted.add(role);
            }
        }
        DUTIES.stream().filter(request::isUserInRole).forEach(granted::add);
        return granted;
    }

    static PrintWriter open(HttpServletResponse response, String contextPath, String title) throws IOException {
        response.setContentType("text/html;charset=UTF-8");
        PrintWriter out = response.getWriter();
        String base = esc(contextPath);
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + " - Expense Tracker</title><style>body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto}"
                + "nav a{margin-right:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}"
                + "ol#trace{font-family:monospace}</style></head><body>");
        out.println("<nav><a href=\"" + base + "/home\">Home</a><a href=\"" + base + "/me\">Who am I</a><a href=\""
                + base + "/reports\">Reports</a><a href=\"" + base + "/approvals/\">Approvals</a><a href=\"" + base
                + "/admin/\">Administration</a><a href=\"" + base
                + "/public/about\">About</a><form method=\"post\" action=\"" + base
                + "/logout\" style=\"display:inline\">"
                + "<button id=\"sign-out\" type=\"submit\">Sign out</button></form></nav>");
        out.println("<h1>" + esc(title) + "</h1>");
        return out;
    }

    static void close(PrintWriter out) {
        out.println("</body></html>");
    }

    static String esc(Object value) {
        String s = String.valueOf(value);
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
