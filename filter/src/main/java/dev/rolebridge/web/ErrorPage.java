package dev.rolebridge.web;

import dev.rolebridge.oidc.LoginFailedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The page a user sees when sign-in fails: what happened in one sentence, the technical detail, and a link
 * to try again. It never redirects by itself, so a failing provider cannot cause a redirect loop.
 */
final class ErrorPage {

    private ErrorPage() {
    }

    static void send(HttpServletRequest request, HttpServletResponse response, LoginFailedException failure)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(failure.reason().status());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            response.setContentType("application/json;charset=UTF-8");
            response.getWriter().write("{\"error\":\"" + failure.reason().name().toLowerCase(java.util.Locale.ROOT)
                    + "\",\"message\":\"" + json(failure.reason().message()) + "\"}");
            return;
        }
        response.setContentType("text/html;charset=UTF-8");
        String home = request.getContextPath() + "/";
        PrintWriter out = response.getWriter();
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
        out.write(html(failure.reason().title()));
        out.write("</title><style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em}"
                + "code{background:#eee;padding:.1em .3em}</style></head><body>\n<h1>");
        out.write(html(failure.reason().title()));
        out.write("</h1>\n<p>");
        out.write(html(failure.reason().message()));
        out.write("</p>\n");
        if (failure.detail() != null) {
            out.write("<p>Details: <code>" + html(failure.detail()) + "</code></p>\n");
        }
        out.write("<p><a href=\"" + html(home) + "\">Try again</a></p>\n</body></html>\n");
    }

    static String html(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
