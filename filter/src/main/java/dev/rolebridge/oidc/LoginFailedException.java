package dev.rolebridge.oidc;

import dev.rolebridge.RolebridgeException;
import java.util.Objects;

/** A login did not complete; {@link #reason()} says why in terms a user's error page can show. */
public class LoginFailedException extends RolebridgeException {

    private static final long serialVersionUID = 1L;

    /** Why a login failed, with the HTTP status and the sentence shown to the user. */
    public enum Reason {
        PROVIDER_DENIED(403, "Sign-in was refused", "The identity provider did not sign you in."),
        PROVIDER_ERROR(502, "Sign-in failed", "The identity provider answered the sign-in with an error."),
        SESSION_STATE(400, "Sign-in expired",
                "This sign-in response does not belong to a sign-in started in this browser, or it was already used. "
                        + "Please start again."),
        RESPONSE_REJECTED(401, "Sign-in could not be verified",
                "The identity provider's answer could not be verified, so you were not signed in."),
        PROVIDER_UNAVAILABLE(503, "Sign-in temporarily unavailable",
                "The identity provider cannot be reached right now. Please try again in a moment."),
        SYNC_FAILED(503, "Sign-in could not be completed",
                "You were authenticated, but your groups and roles could not be updated, so you were not signed in. "
                        + "Please try again later."),
        CROSS_SITE(403, "Request refused",
                "This form was sent to the application from another site, so it was not accepted. Open the "
                        + "application's own page and send it from there."),
        INTERNAL(500, "Sign-in failed unexpectedly",
                "Something went wrong on our side while handling this request. Please try again later.");

        private final int status;
        private final String title;
        private final String message;

        Reason(int status, String title, String message) {
            this.status = status;
            this.title = title;
            this.message = message;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }

        public String message() {
            return message;
        }
    }

    private final Reason reason;
    private final String detail;

    /**
     * @param reason the kind of failure
     * @param detail a short technical detail safe to show and log (an OAuth error code, never a token)
     */
    public LoginFailedException(Reason reason, String detail, Throwable cause) {
        super(reason.title() + (detail == null ? "" : ": " + detail), cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = detail;
    }

    public Reason reason() {
        return reason;
    }

    /** A short technical detail, or {@code null}. */
    public String detail() {
        return detail;
    }
}
