package dev.rolebridge.internal.oidc;

import dev.rolebridge.RolebridgeException;
import dev.rolebridge.config.RolebridgeConfigurationException;
import dev.rolebridge.internal.store.UserDeactivatedException;
import dev.rolebridge.sync.MembershipSyncException;
import java.io.IOException;
import java.util.Objects;
import org.pac4j.oidc.exceptions.OidcMissingSessionStateException;
import org.pac4j.oidc.exceptions.OidcMissingStateParameterException;
import org.pac4j.oidc.exceptions.OidcStateMismatchException;

/** A login did not complete; {@link #reason()} says why in terms a user's error page can show. */
public class LoginFailedException extends RolebridgeException {

    private static final long serialVersionUID = 1L;

    /** Why a login failed, with the HTTP status and the sentence shown to the user. */
    public enum Reason {
        PROVIDER_DENIED(403, "Sign-in was refused", "The identity provider did not sign you in."),
        PROVIDER_ERROR(502, "Sign-in failed", "The identity provider answered the sign-in with an error."),
        SESSION_STATE(
                400,
                "Sign-in expired",
                "This sign-in response does not belong to a sign-in started in this browser, or it was already used. "
                        + "Please start again."),
        RESPONSE_REJECTED(
                401,
                "Sign-in could not be verified",
                "The identity provider's answer could not be verified, so you were not signed in."),
        PROVIDER_UNAVAILABLE(
                503,
                "Sign-in temporarily unavailable",
                "The identity provider cannot be reached right now. Please try again in a moment."),
        SYNC_FAILED(
                503,
                "Sign-in could not be completed",
                "You were authenticated, but your groups and roles could not be updated, so you were not signed in. "
                        + "Please try again later."),
        ACCOUNT_DEACTIVATED(
                403,
                "Sign-in refused",
                "You were authenticated, but your account is deactivated in this application, so you were not signed"
                        + " in. Ask an administrator to reactivate it."),
        CROSS_SITE(
                403,
                "Request refused",
                "This form was sent to the application from another site, so it was not accepted. Open the "
                        + "application's own page and send it from there."),
        INTERNAL(
                500,
                "Sign-in failed unexpectedly",
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

    /**
     * Turns whatever pac4j or the hook threw into the failure the user's page explains; logs nothing.
     * {@code otherwise} is the reason for a failure of no known kind: on the callback a malformed response,
     * elsewhere an internal fault.
     */
    static LoginFailedException classify(RuntimeException e, Reason otherwise) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LoginFailedException failed) {
                return failed;
            }
            if (t instanceof UserDeactivatedException deactivated) {
                return new LoginFailedException(Reason.ACCOUNT_DEACTIVATED, null, deactivated);
            }
            if (t instanceof MembershipSyncException sync) {
                return new LoginFailedException(Reason.SYNC_FAILED, null, sync);
            }
            if (t instanceof RolebridgeConfigurationException config) {
                return new LoginFailedException(
                        Reason.PROVIDER_ERROR, "the provider does not match the configuration", config);
            }
            if (t instanceof OidcMissingSessionStateException
                    || t instanceof OidcStateMismatchException
                    || t instanceof OidcMissingStateParameterException) {
                return new LoginFailedException(
                        Reason.SESSION_STATE, "no sign-in in progress matches this response", e);
            }
            if (t instanceof IOException) {
                return new LoginFailedException(
                        Reason.PROVIDER_UNAVAILABLE, t.getClass().getSimpleName(), e);
            }
        }
        if (otherwise == Reason.INTERNAL) {
            return new LoginFailedException(Reason.INTERNAL, null, e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null
                ? "the response was malformed"
                : AuthorizationResponse.printable(root.getMessage(), 200);
        return new LoginFailedException(Reason.RESPONSE_REJECTED, message, e);
    }
}
