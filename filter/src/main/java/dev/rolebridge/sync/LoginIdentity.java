package dev.rolebridge.sync;

import java.util.Map;
import java.util.Objects;

/**
 * A verified login, as the filter hands it to a {@link MembershipSyncHook}: the ID token's signature,
 * issuer, audience, expiry and nonce have been checked before an instance exists.
 *
 * @param issuer the provider's issuer identifier ({@code iss})
 * @param subject the provider's stable user identifier ({@code sub}); unique per issuer
 * @param username the name the application sees in {@code getRemoteUser()}
 * @param email the e-mail address, or {@code null} when the provider sent none
 * @param groups the groups claim, missing or present
 * @param claims every claim of the login (ID token, overlaid by UserInfo), read-only; for claim rules
 */
public record LoginIdentity(
        String issuer, String subject, String username, String email, ClaimGroups groups, Map<String, Object> claims) {

    public LoginIdentity {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(groups, "groups");
        claims = Map.copyOf(Objects.requireNonNull(claims, "claims"));
    }

    /** Never prints claims: they may carry personal data. */
    @Override
    public String toString() {
        return "LoginIdentity[issuer=" + issuer + ", subject=" + subject + ", username=" + username
                + ", groups=" + groups.names().size() + (groups.present() ? "" : " (claim missing)") + "]";
    }
}
