package dev.rolebridge.web;

import dev.rolebridge.internal.oidc.ApiRequests;
import dev.rolebridge.internal.oidc.LoginFailedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import net.minidev.json.JSONObject;
import org.owasp.encoder.Encode;

/**
 * The page a user sees when sign-in fails: what happened in one sentence, the technical detail, and a link
 * to try again. It never redirects by itself, so a failing provider cannot cause a redirect loop. A request
 * that asks for JSON ({@link ApiRequests#wantsJson}) gets {@code {"error": ..., "message": ...}} instead.
 */
final class ErrorPage {

    private ErrorPage() {}

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
        if (ApiRequests.wantsJson(request)) {
            JSONObject body = new JSONObject();
            body.put("error", failure.reason().name().toLowerCase(Locale.ROOT));
            body.put("message", failure.reason().message());
            response.setContentType("application/json;charset=UTF-8");
            response.getWriter().write(body.toJSONString());
            return;
        }
        response.setContentType("text/html;charset=UTF-8");
        String home = request.getContextPath() + "/";
        PrintWriter out = response.getWriter();
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
        out.write(Encode.forHtml(failure.reason().title()));
        out.write("</title><style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em}"
                + "code{background:#eee;padding:.1em .3em}</style></head><body>\n<h1>");
        out.write(Encode.forHtml(failure.reason().title()));
        out.write("</h1>\n<p>");
        out.write(Encode.forHtml(failure.reason().message()));
        out.write("</p>\n");
        if (failure.detail() != null) {
            out.write("<p>Details: <code>" + Encode.forHtml(failure.detail()) + "</code></p>\n");
        }
        out.write("<p><a href=\"" + Encode.forHtmlAttribute(home) + "\">Try again</a></p>\n</body></html>\n");
    }
}
