package dev.rolebridge.sample;

import dev.rolebridge.sample.data.ExpenseDatabase;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** A public page, excluded from sign-in in {@code web.xml}: what the application runs on. */
public class AboutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter out = Page.open(response, request.getContextPath(), "About");
        out.println("<p id=\"about\">Expense Tracker 1.0. This page needs no sign-in.</p>");
        out.println("<dl><dt>Server</dt><dd id=\"server\">"
                + Page.esc(getServletContext().getServerInfo())
                + "</dd><dt>Servlet API</dt><dd id=\"servlet-api\">"
                + getServletContext().getMajorVersion() + "."
                + getServletContext().getMinorVersion()
                + "</dd><dt>JPA provider</dt><dd id=\"jpa-provider\">EclipseLink "
                + Page.esc(ExpenseDatabase.current().providerVersion()) + "</dd><dt>Java</dt><dd id=\"java\">"
                + Page.esc(System.getProperty("java.version")) + "</dd></dl>");
        Page.close(out);
    }
}
