package dev.rolebridge.internal.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A group the provider sent in logins' groups claims that mapped to no app group, as
 * {@link MembershipStore#unmappedGroups} sums it up: a candidate for a {@code groupMappings} entry or an app
 * group of that name.
 *
 * @param name the provider's group name, verbatim
 * @param users how many users' logins carried it (in the period asked)
 * @param lastSeen the latest login that carried it
 */
public record UnmappedGroup(String name, long users, Instant lastSeen) {

    public UnmappedGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
