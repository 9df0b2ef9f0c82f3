package dev.rolebridge.internal.store;

import java.time.Instant;

/**
 * Which audit events {@link MembershipStore#auditTrail} lists; every field may be {@code null}, which does not
 * filter, and the filters given must all hold. A blank text counts as {@code null}, as an empty form field does.
 *
 * <pre>{@code
 * Page<AuditEvent> page = store.auditTrail(new AuditQuery(null, "ops", "login", lastWeek, null), 0, 50);
 * }</pre>
 *
 * @param subject the events of the users with this subject (exactly), or of the users with this username
 *     (ignoring case)
 * @param group the events whose added, removed or created groups include this group, exactly (case and all:
 *     {@code ops} matches neither {@code ops-team} nor {@code Ops})
 * @param actor the events of this actor, exactly ({@value MembershipStore#ACTOR_LOGIN},
 *     {@value MembershipStore#ACTOR_ADMIN}, {@value MembershipStore#ACTOR_SCIM}, ...)
 * @param from the events at or after this time
 * @param to the events strictly before this time
 */
public record AuditQuery(String subject, String group, String actor, Instant from, Instant to) {

    public AuditQuery {
        subject = blankAsNull(subject);
        group = blankAsNull(group);
        actor = blankAsNull(actor);
    }

    /** The query that lists every event. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null);
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
