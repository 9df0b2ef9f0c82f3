package dev.rolebridge.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;

/**
 * Where a browser request comes from, as the browser itself says: {@code Sec-Fetch-Site} (Fetch Metadata)
 * and {@code Origin}. The application's origin is the callback URL's (scheme, host, port), the address its
 * users see even behind a proxy.
 */
final class Origins {

    private final String own;

    Origins(URI callbackUrl) {
        own = origin(callbackUrl);
    }

    /** {@code scheme://host[:port]}, lower-case, default ports left out (as browsers send {@code Origin}). */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort =
                port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /**
     * Whether the browser says the request comes from a page of this application: {@code Sec-Fetch-Site:
     * same-origin}, or, from a browser that sends no Fetch Metadata, an {@code Origin} equal to the
     * application's. A request that says neither is not.
     */
    boolean sameOrigin(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return site.equalsIgnoreCase("same-origin");
        }
        String origin = request.getHeader("Origin");
        return origin != null && origin.equalsIgnoreCase(own);
    }

    /**
     * Whether the browser says the request comes from another site or another origin: {@code Sec-Fetch-Site:
     * cross-site}, or an {@code Origin} other than the application's ({@code null} included). Requests that
     * carry neither header (non-browser clients, old browsers) are not.
     */
    boolean foreign(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && site.equalsIgnoreCase("cross-site")) {
            return true;
        }
        String origin = request.getHeader("Origin");
        return origin != null && !origin.equalsIgnoreCase(own);
    }
}
