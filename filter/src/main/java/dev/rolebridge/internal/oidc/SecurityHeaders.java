package dev.rolebridge.internal.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;

/**
 * The headers {@code securityHeaders} adds to protected responses, exactly those of pac4j's {@code
 * securityHeaders} matchers ({@code Cache-Control}, {@code Pragma} and {@code Expires} except for static
 * files, {@code X-Content-Type-Options}, {@code Strict-Transport-Security} over https, {@code X-Frame-Options},
 * {@code X-XSS-Protection}), written here for a signed-in request, which does not run pac4j's logic.
 */
final class SecurityHeaders {

    /** The suffixes pac4j's cache-control matcher leaves cacheable. */
    private static final List<String> STATIC = List.of(".css", ".js", ".png", ".jpg", ".ico", ".jpeg", ".bmp", ".gif");

    private static final int HSTS_SECONDS = 15768000;

    private SecurityHeaders() {}

    static void add(HttpServletRequest request, HttpServletResponse response) {
        if (!cacheable(request)) {
            response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
            response.setHeader("Pragma", "no-cache");
            response.setHeader("Expires", "0");
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        if ("https".equalsIgnoreCase(request.getScheme()) || request.isSecure()) {
            response.setHeader("Strict-Transport-Security", "max-age=" + HSTS_SECONDS + " ; includeSubDomains");
        }
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-XSS-Protection", "1; mode=block");
    }

    /**
     * pac4j's test, whether the full request URL in lower case ends with one of {@link #STATIC}, read off the
     * URL's end without building it: the query string when there is one (a suffix holds no {@code ?}), else the
     * request URI (which starts with {@code /}, which no suffix holds either).
     */
    static boolean cacheable(HttpServletRequest request) {
        String query = request.getQueryString();
        String end = query != null ? query : request.getRequestURI();
        if (end == null) {
            return false;
        }
        for (String suffix : STATIC) {
            if (endsWithIgnoringAsciiCase(end, suffix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithIgnoringAsciiCase(String text, String lowerSuffix) {
        int offset = text.length() - lowerSuffix.length();
        if (offset < 0) {
            return false;
        }
        for (int i = 0; i < lowerSuffix.length(); i++) {
            char c = text.charAt(offset + i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != lowerSuffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
