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
 * issuer, audience, expiry and nonce have been checked before an instance exists.
 *
 * @param issuer the provider's issuer identifier ({@code iss})
 * @param subject the provider's stable user identifier ({@code sub}); unique per issuer
 * @param username the name the application sees in {@code getRemoteUser()}
 * @param email the e-mail address, or {@code null} when the provider sent none
 * @param groups the groups claim, missing or present
 * @param claims every claim of the login (ID token, overlaid by UserInfo), for claim rules: read-only all the
 *     way down (nested objects and arrays too); a claim whose JSON value is {@code null} is kept, with the value
 *     {@code null}
 */
public record LoginIdentity(
        String issuer, String subject, String username, String email, ClaimGroups groups, Map<String, Object> claims) {

    public LoginIdentity {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(groups, "groups");
        claims = readOnlyCopy(Objects.requireNonNull(claims, "claims"));
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
        return "LoginIdentity[issuer=" + issuer + ", subject=" + subject + ", username=" + username
                + ", groups=" + groups.names().size() + (groups.present() ? "" : " (claim missing)") + "]";
    }
}
