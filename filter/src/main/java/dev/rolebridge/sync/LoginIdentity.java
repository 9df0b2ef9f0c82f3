package dev.rolebridge.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A verified login, as the filter hands it to a {@link MembershipSyncHook}: the ID token's signature,
 * issuer, audience, expiry and nonce have been checked before the filter makes one. Tests of a hook make
 * their own:
 *
 * <pre>{@code
 * LoginIdentity login = LoginIdentity.builder("https://idp.example.com", "sub-1", "alice")
 *         .groups(ClaimGroups.of(List.of("engineers")))
 *         .build();
 * }</pre>
 *
 * <p>Later versions may add properties; code that uses the builder keeps compiling and working.
 */
public final class LoginIdentity {

    private final String issuer;
    private final String subject;
    private final String username;
    private final String email;
    private final ClaimGroups groups;
    private final Map<String, Object> claims;

    private LoginIdentity(Builder b) {
        this.issuer = b.issuer;
        this.subject = b.subject;
        this.username = b.username;
        this.email = b.email;
        this.groups = b.groups;
        this.claims = readOnlyCopy(b.claims);
    }

    /**
     * A login to fill in: no e-mail, a missing groups claim, no claims.
     *
     * @param issuer the provider's issuer identifier ({@code iss})
     * @param subject the provider's stable user identifier ({@code sub}); unique per issuer
     * @param username the name the application sees in {@code getRemoteUser()}
     */
    public static Builder builder(String issuer, String subject, String username) {
        return new Builder(issuer, subject, username);
    }

    /** A builder holding this login's values. */
    public Builder toBuilder() {
        return builder(issuer, subject, username).email(email).groups(groups).claims(claims);
    }

    /** The provider's issuer identifier ({@code iss}). */
    public String issuer() {
        return issuer;
    }

    /** The provider's stable user identifier ({@code sub}); unique per issuer. */
    public String subject() {
        return subject;
    }

    /** The name the application sees in {@code getRemoteUser()}. */
    public String username() {
        return username;
    }

    /** The e-mail address, or {@code null} when the provider sent none. */
    public String email() {
        return email;
    }

    /** The groups claim, missing or present. */
    public ClaimGroups groups() {
        return groups;
    }

    /**
     * Every claim of the login (ID token, overlaid by UserInfo), for claim rules: read-only all the way down
     * (nested objects and arrays too); a claim whose JSON value is {@code null} is kept, with the value
     * {@code null}.
     */
    public Map<String, Object> claims() {
        return claims;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoginIdentity other
                && issuer.equals(other.issuer)
                && subject.equals(other.subject)
                && username.equals(other.username)
                && Objects.equals(email, other.email)
                && groups.equals(other.groups)
                && claims.equals(other.claims);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, subject, username, email, groups, claims);
    }

    /** Builds a {@link LoginIdentity}. */
    public static final class Builder {
        private final String issuer;
        private final String subject;
        private final String username;
        private String email;
        private ClaimGroups groups = ClaimGroups.missing();
        private Map<String, ?> claims = Map.of();

        private Builder(String issuer, String subject, String username) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            this.subject = Objects.requireNonNull(subject, "subject");
            this.username = Objects.requireNonNull(username, "username");
        }

        /** The e-mail address, or {@code null} for none. */
        public Builder email(String email) {
            this.email = email;
            return this;
        }

        public Builder groups(ClaimGroups groups) {
            this.groups = Objects.requireNonNull(groups, "groups");
            return this;
        }

        /** Every claim of the login; copied, read-only, when built. */
        public Builder claims(Map<String, ?> claims) {
            this.claims = Objects.requireNonNull(claims, "claims");
            return this;
        }

        public LoginIdentity build() {
            return new LoginIdentity(this);
        }
    }

    /** A deep, unmodifiable copy of JSON claims; unlike {@link Map#copyOf}, it accepts {@code null} values. */
    private static Map<String, Object> readOnlyCopy(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), readOnly(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object readOnly(Object value) {
        if (value instanceof Map<?, ?> map) {
            return readOnlyCopy(map);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            collection.forEach(v -> copy.add(readOnly(v)));
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Object[] array) {
            return readOnly(java.util.Arrays.asList(array));
        }
        return value;
    }

    /** Never prints claims: they may carry personal data. */
    @Override
    public String toString() {
        return "LoginIdentity[issuer=" + issuer + ", subject=" + subject + ", username=" + username + ", groups="
                + groups.names().size() + (groups.present() ? "" : " (claim missing)") + "]";
    }
}
