package dev.rolebridge.internal.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One change to a user's memberships or role, as recorded in {@code RB_AUDIT_EVENT}.
 *
 * @param time when the change was stored
 * @param actor what made the change: {@value MembershipStore#ACTOR_LOGIN} for a login sync,
 *     {@value MembershipStore#ACTOR_ADMIN} for an administrator or the application, {@value MembershipStore#ACTOR_SCIM} for a SCIM client
 * @param issuer the user's issuer
 * @param subject the user's subject
 * @param added the groups the user joined
 * @param removed the groups the user left
 * @param createdGroups the application groups created by the change ({@code autoCreateGroups})
 * @param roleBefore the user's primary role before, or {@code null}
 * @param roleAfter the user's primary role after, or {@code null}
 * @param rulesFired the mapping rules that fired or were skipped, one trace line each
 *     (e.g. {@code fired: by name: IdP group 'admin' -> app group 'admin'})
 * @param activeAfter {@code false} for a deactivation, {@code true} for a reactivation, {@code null} when the
 *     change left the user's active flag alone
 * @param actedBy who, by name, made an administrator's change (the signed-in administrator, or {@code
 *     adminToken}), or {@code null}
 */
public record AuditEvent(
        Instant time,
        String actor,
        String issuer,
        String subject,
        List<String> added,
        List<String> removed,
        List<String> createdGroups,
        String roleBefore,
        String roleAfter,
        List<String> rulesFired,
        Boolean activeAfter,
        String actedBy) {

    /** An event that names nobody as its author. */
    public AuditEvent(
            Instant time,
            String actor,
            String issuer,
            String subject,
            List<String> added,
            List<String> removed,
            List<String> createdGroups,
            String roleBefore,
            String roleAfter,
            List<String> rulesFired,
            Boolean activeAfter) {
        this(
                time,
                actor,
                issuer,
                subject,
                added,
                removed,
                createdGroups,
                roleBefore,
                roleAfter,
                rulesFired,
                activeAfter,
                null);
    }

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        createdGroups = List.copyOf(createdGroups);
        rulesFired = List.copyOf(rulesFired);
    }

    /**
     * A list as one text column: one entry per line; a backslash, line feed or carriage return inside an
     * entry is written {@code \\}, {@code \n}, {@code \r}, so any name survives (entries are never empty).
     */
    static String encode(List<String> entries) {
        StringBuilder text = new StringBuilder();
        for (String entry : entries) {
            if (text.length() > 0) {
                text.append('\n');
            }
            for (int i = 0; i < entry.length(); i++) {
                char c = entry.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    default -> text.append(c);
                }
            }
        }
        return text.toString();
    }

    /** Reverses {@link #encode}. */
    static List<String> decode(String text) {
        List<String> entries = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return entries;
        }
        StringBuilder entry = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                entries.add(entry.toString());
                entry.setLength(0);
            } else if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                entry.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                entry.append(c);
            }
        }
        entries.add(entry.toString());
        return entries;
    }
}
