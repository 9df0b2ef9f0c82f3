package dev.rolebridge.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.owasp.encoder.Encode;

/**
 * What the logout path answers to anything but a same-origin POST: a small page whose one button POSTs to
 * it. A GET never signs out, so an {@code <img src="/app/logout">} on another site cannot end the session
 * (nor, through {@code id_token_hint}, the one at the provider). The page cannot be framed, so the button
 * cannot be clicked on another site's behalf.
 */
final class LogoutPage {

    /** The button's id, for applications and tests that press it. */
    static final String BUTTON_ID = "rolebridge-sign-out";

    private LogoutPage() {}

    static void send(HttpServletRequest request, HttpServletResponse response, String logoutPath, boolean refusedPost)
            throws IOException {
        response.reset();
        response.setStatus(refusedPost ? HttpServletResponse.SC_FORBIDDEN : HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader(
                "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        response.setContentType("text/html;charset=UTF-8");
        String action = Encode.forHtmlAttribute(request.getContextPath() + logoutPath);
        response.getWriter()
                .write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign out"
                        + "</title><style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em}"
                        + "</style></head><body>\n<h1>Sign out</h1>\n"
                        + (refusedPost ? "<p>This sign-out did not come from this application's own pages.</p>\n" : "")
                        + "<form method=\"post\" action=\"" + action + "\"><button type=\"submit\" id=\"" + BUTTON_ID
                        + "\">Sign out</button></form>\n</body></html>\n");
    }
}
