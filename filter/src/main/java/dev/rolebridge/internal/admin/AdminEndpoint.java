package dev.rolebridge.internal.admin;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.internal.Logs;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administration page and its JSON API under {@code adminPath}, and who may use them:
 *
 * <ul>
 *   <li>The pages need a signed-in user holding {@code adminRole}; anyone else signed in gets 403. Every form
 *       carries the session's CSRF token and a POST without it (or from another site) is refused with 403.
 *   <li>The API ({@code adminPath/api/...}) takes either the session of such a user, from a page of this
 *       application only ({@code Sec-Fetch-Site: same-origin}, or an {@code Origin} equal to the application's,
 *       for every request that changes something; any request the browser says is cross-site is refused), or
 *       {@code Authorization: Bearer <adminToken>} for automation. Without either: 401.
 * </ul>
 *
 * <p>Every change is audited with the administrator's name (the bearer token's caller is {@value #TOKEN_ACTOR}).
 */
public final class AdminEndpoint {

    /** The name a change made with the {@code adminToken} is audited under. */
    public static final String TOKEN_ACTOR = "adminToken";

    private static final Logger LOG = Logs.escaping(LoggerFactory.getLogger(AdminEndpoint.class));

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    private final AdminService service;
    private final AdminApi api;
    private final AdminPages pages;
    private final Predicate<HttpServletRequest> sameOrigin;
    private final Predicate<HttpServletRequest> foreign;

    /**
     * @param sameOrigin whether the browser says a request comes from a page of this application
     * @param foreign whether the browser says a request comes from another site or origin
     */
    public AdminEndpoint(
            AdminService service, Predicate<HttpServletRequest> sameOrigin, Predicate<HttpServletRequest> foreign) {
        this.service = Objects.requireNonNull(service, "service");
        this.api = new AdminApi(service);
        this.pages = new AdminPages(service);
        this.sameOrigin = Objects.requireNonNull(sameOrigin, "sameOrigin");
        this.foreign = Objects.requireNonNull(foreign, "foreign");
    }

    /** Whether {@code rest} (the path below {@code adminPath}) is the API's. */
    public static boolean isApi(String rest) {
        return rest.equals("/api") || rest.startsWith("/api/");
    }

    /** The token of an {@code Authorization: Bearer} header, or {@code null}. */
    public static String bearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    /**
     * Answers an API request; {@code principal} is the signed-in user, or {@code null}. A bearer token, when the
     * request carries one, is what decides (the session is not looked at then).
     */
    public void serveApi(
            HttpServletRequest request, HttpServletResponse response, String rest, RolebridgePrincipal principal)
            throws IOException {
        String path = rest.substring("/api".length());
        String token = bearer(request);
        if (token != null) {
            if (!service.settings().acceptsToken(token)) {
                LOG.warn("administration API {} {} refused: no valid bearer token", request.getMethod(), rest);
                response.setHeader("WWW-Authenticate", "Bearer realm=\"Rolebridge administration\"");
                AdminApi.sendError(response, 401, null, "A valid bearer token (adminToken) is required");
                return;
            }
            api.serve(request, response, path, TOKEN_ACTOR);
            return;
        }
        if (principal == null) {
            if (service.settings().hasToken()) {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"Rolebridge administration\"");
            }
            AdminApi.sendError(response, 401, null, "Sign in as an administrator, or send the adminToken");
            return;
        }
        if (foreign.test(request) || (!SAFE_METHODS.contains(request.getMethod()) && !sameOrigin.test(request))) {
            LOG.warn(
                    "administration API {} {} refused: not from a page of this application (Sec-Fetch-Site {}, Origin {})",
                    request.getMethod(),
                    rest,
                    request.getHeader("Sec-Fetch-Site"),
                    request.getHeader("Origin"));
            AdminApi.sendError(
                    response, 403, null, "Requests with the session must come from a page of this application");
            return;
        }
        if (!isAdmin(principal)) {
            AdminApi.sendError(
                    response,
                    403,
                    null,
                    "This needs the role '" + service.settings().role() + "'");
            return;
        }
        api.serve(request, response, path, principal.getName());
    }

    /** Answers a page request of a signed-in user. */
    public void servePage(
            HttpServletRequest request, HttpServletResponse response, String rest, RolebridgePrincipal principal)
            throws IOException {
        if (!isAdmin(principal)) {
            pages.forbidden(request, response, principal);
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod()) && (foreign.test(request) || !pages.csrfValid(request))) {
            LOG.warn(
                    "administration page {} {} refused: no valid CSRF token or not from this application",
                    request.getMethod(),
                    rest);
            pages.csrfRefused(request, response);
            return;
        }
        pages.serve(request, response, rest, principal);
    }

    private boolean isAdmin(RolebridgePrincipal principal) {
        return principal.roles().contains(service.settings().role());
    }
}
