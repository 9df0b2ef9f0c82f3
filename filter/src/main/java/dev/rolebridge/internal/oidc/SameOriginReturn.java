package dev.rolebridge.internal.oidc;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.engine.savedrequest.SavedRequestHandler;
import org.pac4j.core.exception.http.HttpAction;
import org.pac4j.core.util.HttpActionHelper;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.jee.context.JEEContext;

/**
 * Where the browser returns after signing in: the path (and query) of the request that needed the sign-in,
 * saved by the server and put back on the application's own origin (the callback URL's). Nothing from the
 * callback request, the {@code Host} header or a parameter chooses the target, so a login can never end on
 * another site. A request that was not a {@code GET} returns to the application's root rather than
 * replaying a form.
 */
final class SameOriginReturn implements SavedRequestHandler {

    private final URI origin;

    SameOriginReturn(URI callbackUrl) {
        this.origin = URI.create(callbackUrl.getScheme() + "://" + callbackUrl.getRawAuthority());
    }

    @Override
    public void save(CallContext ctx) {
        HttpServletRequest request = ((JEEContext) ctx.webContext()).getNativeRequest();
        if (!"GET".equals(request.getMethod())) {
            return;
        }
        String path = request.getRequestURI();
        String query = request.getQueryString();
        ctx.sessionStore()
                .set(ctx.webContext(), Pac4jConstants.REQUESTED_URL, query == null ? path : path + "?" + query);
    }

    @Override
    public HttpAction restore(CallContext ctx, String defaultUrl) {
        Object saved = ctx.sessionStore()
                .get(ctx.webContext(), Pac4jConstants.REQUESTED_URL)
                .orElse(null);
        ctx.sessionStore().set(ctx.webContext(), Pac4jConstants.REQUESTED_URL, null);
        String target = saved instanceof String path && isLocalPath(path) ? origin + path : defaultUrl;
        return HttpActionHelper.buildRedirectUrlAction(ctx.webContext(), target);
    }

    /** A path on this origin: one leading slash, no backslash or control character that a browser could reinterpret. */
    static boolean isLocalPath(String path) {
        if (!path.startsWith("/") || path.startsWith("//")) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return !lower.startsWith("/%2f")
                && !lower.startsWith("/%5c")
                && !lower.contains("%5c")
                && !lower.contains("%09");
    }
}
