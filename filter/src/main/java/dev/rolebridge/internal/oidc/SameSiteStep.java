package dev.rolebridge.internal.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.owasp.encoder.Encode;

/**
 * A page of the application that navigates on to the URL it was asked for, so that the browser makes that
 * request from the application's own site. Applications whose session cookie is {@code SameSite=Strict} need
 * it on the way back from a provider on another site: the browser does not send a Strict cookie on a request
 * that a cross-site redirect chain made, but does on a navigation that a page of the same site starts.
 */
final class SameSiteStep {

    private SameSiteStep() {}

    static void send(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String query = request.getQueryString();
        String target = Encode.forHtmlAttribute(request.getRequestURI() + (query == null ? "" : "?" + query));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter()
                .write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        + "<meta name=\"referrer\" content=\"no-referrer\"><meta http-equiv=\"refresh\" content=\"0;url="
                        + target + "\"><title>Signing in</title></head><body>\n<p><a href=\"" + target
                        + "\">Continue signing in</a></p>\n</body></html>\n");
    }
}
