package dev.rolebridge.internal.oidc;

import dev.rolebridge.internal.oidc.LoginFailedException.Reason;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks a request to the callback path passes before pac4j sees it: one value per parameter that
 * matters, no tokens in the front channel (only the authorization code flow), a provider's {@code error}
 * turned into the failure the user's page explains (its code echoed only when it reads like a registered
 * one, its description never), and a code present. A session id taken from the URL is refused here and on
 * every signed-in request.
 */
final class AuthorizationResponse {

    private static final Set<String> IMPLICIT_RESPONSE_PARAMETERS = Set.of("access_token", "id_token", "token_type");
    /** An OAuth error code as registered ones are written; anything else is not echoed. */
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");

    private static final List<String> SINGLE_VALUED = List.of("code", "state", "error", "iss", "session_state");

    private AuthorizationResponse() {}

    /** Refuses a response that is not a single, front-channel-token-free, successful authorization response. */
    static void check(HttpServletRequest request) {
        for (String name : SINGLE_VALUED) {
            String[] values = request.getParameterValues(name);
            if (values != null && values.length > 1) {
                throw new LoginFailedException(Reason.RESPONSE_REJECTED, "parameter '" + name + "' is repeated", null);
            }
        }
        for (String name : IMPLICIT_RESPONSE_PARAMETERS) {
            if (request.getParameter(name) != null) {
                throw new LoginFailedException(
                        Reason.RESPONSE_REJECTED,
                        "the response carries tokens; only the authorization code flow is accepted",
                        null);
            }
        }
        String error = request.getParameter("error");
        if (error != null) {
            // error_description (and error_uri) are never shown nor logged: anyone can link to the callback
            // with text of their choosing, which would then appear on the application's own origin
            String code = ERROR_CODE.matcher(error).matches() ? error : "unrecognised error code";
            Reason reason = switch (code) {
                case "access_denied",
                        "login_required",
                        "consent_required",
                        "interaction_required",
                        "account_selection_required" -> Reason.PROVIDER_DENIED;
                case "temporarily_unavailable", "server_error" -> Reason.PROVIDER_UNAVAILABLE;
                default -> Reason.PROVIDER_ERROR;
            };
            throw new LoginFailedException(reason, "provider error " + code, null);
        }
        if (request.getParameter("code") == null) {
            throw new LoginFailedException(Reason.SESSION_STATE, "no authorization code in the request", null);
        }
    }

    /**
     * A session id taken from the URL ({@code ;jsessionid=}, where the container tracks sessions that way) can
     * be handed to anyone: it never completes a callback nor carries a signed-in session.
     */
    static void refuseUrlSessionId(HttpServletRequest request) {
        if (request.isRequestedSessionIdFromURL()) {
            throw new LoginFailedException(Reason.SESSION_STATE, "a session id in the URL is not accepted", null);
        }
    }

    /** Keeps a value from a request or a provider safe to show and log: printable ASCII, bounded length. */
    static String printable(String value, int max) {
        String cleaned = value.replaceAll("[^\\x20-\\x7E]", "?");
        return cleaned.length() > max ? cleaned.substring(0, max) + "..." : cleaned;
    }
}
