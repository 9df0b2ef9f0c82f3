package dev.rolebridge.internal.oidc;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The one notion of an API request, for the two places that answer one differently from a browser's page:
 *
 * <ul>
 *   <li>a protected path without a session: an API request ({@link #isApi}) gets {@code 401} instead of a
 *       redirect to the provider, which a script could not follow;</li>
 *   <li>a failed sign-in: a request that asks for JSON ({@link #wantsJson}) gets the error as JSON; any other
 *       request, an XHR from a page included, gets the HTML page (its browser may show it).</li>
 * </ul>
 *
 * <p>An API request is an XHR ({@code X-Requested-With}, or pac4j's {@code is_ajax_request} header or
 * parameter set to {@code true}) or a request that asks for JSON: {@code Accept} names
 * {@code application/json} and not {@code text/html}.
 */
public final class ApiRequests {

    private ApiRequests() {}

    /** Whether the request is an XHR or asks for JSON: it gets 401, not a redirect, on a protected path. */
    public static boolean isApi(HttpServletRequest request) {
        return request.getHeader("X-Requested-With") != null
                || "true".equalsIgnoreCase(request.getHeader("is_ajax_request"))
                || "true".equalsIgnoreCase(request.getParameter("is_ajax_request"))
                || wantsJson(request);
    }

    /** Whether the request asks for JSON rather than a page: its errors are written as JSON. */
    public static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }
}
