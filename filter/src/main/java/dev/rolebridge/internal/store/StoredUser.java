package dev.rolebridge.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user as the membership store holds it.
 *
 * @param id the store's id of the user
 * @param issuer the provider's issuer identifier
 * @param subject the provider's identifier of the user, unique per issuer
 * @param username the name the application sees, as of the last login
 * @param email the e-mail address as of the last login, or {@code null}
 * @param primaryRole the role the last login resolved, or {@code null} before the first sync
 * @param lastLogin when the user last logged in, or {@code null} if never
 * @param active whether the user may hold roles (a SCIM client may deactivate users)
 * @param memberships every membership, from every source, ordered by group name then source
 */
public record StoredUser(
        long id,
        String issuer,
        String subject,
        String username,
        String email,
        String primaryRole,
        Instant lastLogin,
        boolean active,
        List<Membership> memberships) {

    public StoredUser {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        memberships = List.copyOf(Objects.requireNonNull(memberships, "memberships"));
    }

    /** The names of the groups the user is in, from any source, without repetition, in name order. */
    public List<String> groups() {
        return memberships.stream().map(Membership::group).distinct().toList();
    }

    /** The names of the groups the user is in because of {@code source}, in name order. */
    public List<String> groups(MembershipSource source) {
        return memberships.stream()
                .filter(m -> m.source() == source)
                .map(Membership::group)
                .toList();
    }

    /**
     * One membership.
     *
     * @param group the application group's name
     * @param source why the user is in it
     */
    public record Membership(String group, MembershipSource source) {

        public Membership {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(source, "source");
        }
    }
}
