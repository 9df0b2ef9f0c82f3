package dev.rolebridge.internal.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.pac4j.core.config.Config;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.engine.DefaultCallbackLogic;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.jee.context.JEEContext;

/**
 * pac4j's callback logic, except that renewing the session id at login carries over only the login itself,
 * the URL to return to and the configured attributes, instead of every attribute (which would keep the
 * spent state, nonce and PKCE verifier, and anything an attacker planted in a pre-login session).
 */
final class AllowListCallbackLogic extends DefaultCallbackLogic {

    private final Set<String> keep;

    AllowListCallbackLogic(Set<String> configured) {
        Set<String> names = new HashSet<>(configured);
        names.add(Pac4jConstants.USER_PROFILES);
        names.add(Pac4jConstants.REQUESTED_URL);
        // not the other sign-ins in progress: at login every other pending sign-in of the session is dropped
        keep = Collections.unmodifiableSet(names);
    }

    @Override
    protected void renewSession(CallContext ctx, Config config) {
        HttpServletRequest request = ((JEEContext) ctx.webContext()).getNativeRequest();
        HttpSession old = request.getSession(false);
        Map<String, Object> kept = new HashMap<>();
        if (old != null) {
            for (Enumeration<String> names = old.getAttributeNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                if (keep.contains(name)) {
                    kept.put(name, old.getAttribute(name));
                }
            }
            old.invalidate();
        }
        HttpSession fresh = request.getSession(true);
        kept.forEach(fresh::setAttribute);
    }
}
