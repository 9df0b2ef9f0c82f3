package dev.rolebridge.internal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A back-channel logout that one node accepted and every node acts on, as recorded in
 * {@code RB_LOGOUT_EVENT}: end the local sessions of {@code subject}, or the one session {@code sid}.
 *
 * @param issuer the provider that sent the logout token
 * @param subject the user logged out, or {@code null} when the token names only a session
 * @param sid the provider's session logged out, or {@code null} when the token names only a user
 * @param at when the logout happened, as given to {@link MembershipStore#recordLogout}, to the microsecond
 */
public record LogoutEvent(String issuer, String subject, String sid, Instant at) {

    public LogoutEvent {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(at, "at");
    }
}
