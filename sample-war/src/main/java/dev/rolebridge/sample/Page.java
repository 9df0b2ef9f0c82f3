package dev.rolebridge.sample;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** The sample's page frame: a title, a menu and escaped text. */
final class Page {

    private Page() {
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
                + base + "/reports\">Reports</a><a href=\"" + base + "/admin/\">Administration</a><a href=\"" + base
                + "/public/about\">About</a><form method=\"post\" action=\"" + base + "/logout\" style=\"display:inline\">"
                + "<button id=\"sign-out\" type=\"submit\">Sign out</button></form></nav>");
        out.println("<h1>" + esc(title) + "</h1>");
        return out;
    }

    static void close(PrintWriter out) {
        out.println("</body></html>");
    }

    static String esc(Object value) {
        String s = String.valueOf(value);
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
