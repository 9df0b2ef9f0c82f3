package dev.rolebridge.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One membership of a user, with where it came from, as {@link MembershipStore#membershipDetails} shows it to
 * an administrator.
 *
 * @param group the application group's name
 * @param source why the user is in it
 * @param since when the membership was stored (a membership that a change removed and added again counts from
 *     when it was added again)
 * @param actor the actor of the newest audit event of the user that added the group ({@code login},
 *     {@code scim}, {@code admin}, ...), or {@code null} when no audit event records it (e.g. data older than the
 *     audit trail)
 * @param rules the rules fired of that event, one trace line each; empty when there is none
 */
public record MembershipDetail(String group, MembershipSource source, Instant since, String actor, List<String> rules) {

    public MembershipDetail {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(since, "since");
        rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
    }
}
