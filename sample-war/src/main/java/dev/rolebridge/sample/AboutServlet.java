package dev.rolebridge.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** A public page, excluded from sign-in in {@code web.xml}. */
public class AboutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter out = Page.open(response, request.getContextPath(), "About");
        out.println("<p id=\"about\">Expense Tracker 1.0. This page needs no sign-in.</p>");
        Page.close(out);
    }
}
