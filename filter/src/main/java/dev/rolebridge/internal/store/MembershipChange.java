package dev.rolebridge.internal.store;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One change of one user's memberships of one {@link MembershipSource}, by one actor: the write primitive
 * that every writer of memberships goes through, a login ({@code OIDC}), an administrator ({@code MANUAL})
 * and a SCIM client ({@code SCIM}, through {@link ScimGroups}); a deactivation or reactivation of the user goes through it too
 * ({@link #activation}). {@link #apply} writes it inside the caller's transaction, touches only memberships of
 * its source, and, when anything changed, records one audit event and adds one to the user's
 * {@linkplain UserEntity#membershipVersion membership version}, which signed-in sessions compare:
 *
 * <pre>{@code
 * UserEntity user = UserEntity.find(em, issuer, subject, true);
 * Memberships current = Memberships.of(em, user.id);
 * MembershipChange.of(MembershipSource.MANUAL, actor, List.of("ops"), List.of(), user)
 *         .apply(em, user, current, Map.of("ops", opsId), now, MembershipStoreException::new);
 * }</pre>
 *
 * <p>Strict, so that a caller's decision and the database cannot drift apart unseen: adding a membership
 * the user holds from this source already, or removing one the user does not hold from it, fails; a caller
 * that means "make it so" leaves such groups out first (see {@link #onlyChanges}).
 *
 * @param source the one source whose memberships change
 * @param actor the audit actor ({@value MembershipStore#ACTOR_LOGIN}, {@value MembershipStore#ACTOR_ADMIN}, ...)
 * @param add the groups to join from {@code source}
 * @param remove the groups to leave from {@code source}
 * @param createdGroups the groups created for this change, for the audit event
 * @param roleBefore the user's primary role before, for the audit event
 * @param roleAfter the user's primary role after, for the audit event
 * @param rules the mapping rules behind the change, one trace line each, for the audit event
 * @param activeBefore whether the user was active before
 * @param activeAfter whether the user is active after; a change of the flag is a deactivation or reactivation
 * @param actedBy who, by name, made the change (an administrator), or {@code null}
 */
record MembershipChange(
        MembershipSource source,
        String actor,
        List<String> add,
        List<String> remove,
        List<String> createdGroups,
        String roleBefore,
        String roleAfter,
        List<String> rules,
        boolean activeBefore,
        boolean activeAfter,
        String actedBy) {

    /** A change that names nobody as its author. */
    MembershipChange(
            MembershipSource source,
            String actor,
            List<String> add,
            List<String> remove,
            List<String> createdGroups,
            String roleBefore,
            String roleAfter,
            List<String> rules,
            boolean activeBefore,
            boolean activeAfter) {
        this(source, actor, add, remove, createdGroups, roleBefore, roleAfter, rules, activeBefore, activeAfter, null);
    }

    MembershipChange {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(actor, "actor");
        add = List.copyOf(add);
        remove = List.copyOf(remove);
        createdGroups = List.copyOf(createdGroups);
        rules = List.copyOf(rules);
    }

    /**
     * A change of memberships only: no groups created, the user's primary role {@code role} as it is, no rules,
     * the active flag as it is.
     */
    static MembershipChange of(
            MembershipSource source, String actor, List<String> add, List<String> remove, UserEntity user) {
        return new MembershipChange(
                source,
                actor,
                add,
                remove,
                List.of(),
                user.primaryRole,
                user.primaryRole,
                List.of(),
                user.active,
                user.active);
    }

    /**
     * A deactivation ({@code active} false) or reactivation of {@code user}, with no change of memberships or
     * role; it changes nothing when the user's flag is {@code active} already. A deactivated user's sessions end
     * at their next refresh and their logins are refused ({@link LoginSync}) until they are reactivated.
     */
    static MembershipChange activation(String actor, boolean active, UserEntity user) {
        return new MembershipChange(
                MembershipSource.MANUAL,
                actor,
                List.of(),
                List.of(),
                List.of(),
                user.primaryRole,
                user.primaryRole,
                List.of(),
                user.active,
                active);
    }

    /** This change without the groups the user already holds as asked: adds held and removes not held from the source. */
    MembershipChange onlyChanges(Memberships current) {
        return new MembershipChange(
                source,
                actor,
                add.stream().filter(g -> !current.holds(g, source)).toList(),
                remove.stream().filter(g -> current.holds(g, source)).toList(),
                createdGroups,
                roleBefore,
                roleAfter,
                rules,
                activeBefore,
                activeAfter,
                actedBy);
    }

    /** This change, made by {@code name}. */
    MembershipChange by(String name) {
        return new MembershipChange(
                source,
                actor,
                add,
                remove,
                createdGroups,
                roleBefore,
                roleAfter,
                rules,
                activeBefore,
                activeAfter,
                name);
    }

    /** Whether it changes anything: a membership, a group, the role or the active flag. */
    boolean changesAnything() {
        return !add.isEmpty()
                || !remove.isEmpty()
                || !createdGroups.isEmpty()
                || !Objects.equals(roleBefore, roleAfter)
                || activeBefore != activeAfter;
    }

    /**
     * Writes the change for {@code user} in the caller's transaction: one statement removes the memberships
     * to leave, the new ones are inserted in a batch, the active flag is set, and when
     * {@link #changesAnything()} an audit event is written and the user's membership version grows by one (the
     * user's row is written at commit, as every writer holds it locked). Keeps {@code current} in step.
     *
     * @param groupIds the ids of (at least) the groups to add and remove, by name
     * @param failure what a change that does not fit the user's memberships throws; nothing is written then
     *     (the caller's transaction rolls back)
     */
    void apply(
            EntityManager em,
            UserEntity user,
            Memberships current,
            Map<String, Long> groupIds,
            Instant now,
            BiFunction<String, Throwable, ? extends RuntimeException> failure) {
        if (!remove.isEmpty()) {
            List<Long> leaving = new ArrayList<>();
            for (String group : remove) {
                if (!current.holds(group, source)) {
                    throw failure.apply(
                            "The change removes app group '" + group + "', which the user is not in" + " from source "
                                    + source + "; nothing was stored",
                            null);
                }
                leaving.add(groupIds.get(group));
            }
            em.createNamedQuery(MembershipEntity.DELETE_OF_SOURCE)
                    .setParameter("user", user.id)
                    .setParameter("source", source)
                    .setParameter("groups", leaving)
                    .executeUpdate();
            remove.forEach(group -> current.remove(group, source));
        }
        for (String group : add) {
            Long groupId = groupIds.get(group);
            if (groupId == null) {
                throw failure.apply(
                        "The change adds the user to app group '" + group + "', which does not exist"
                                + " and is not to be created; nothing was stored",
                        null);
            }
            if (current.holds(group, source)) {
                throw failure.apply(
                        "The change adds the user to app group '" + group + "', which the user is in" + " from source "
                                + source + " already; nothing was stored",
                        null);
            }
            em.persist(new MembershipEntity(user.id, groupId, source, now));
            current.add(group, source);
        }
        user.active = activeAfter;
        if (changesAnything()) {
            user.membershipVersion++;
            em.persist(auditEvent(user, now));
        }
    }

    private AuditEventEntity auditEvent(UserEntity user, Instant now) {
        AuditEventEntity event = new AuditEventEntity();
        event.time = now;
        event.actor = actor;
        event.userId = user.id;
        event.issuer = user.issuer;
        event.subject = user.subject;
        event.added = AuditEvent.encode(add);
        event.removed = AuditEvent.encode(remove);
        event.created = AuditEvent.encode(createdGroups);
        event.roleBefore = roleBefore;
        event.roleAfter = roleAfter;
        event.rulesFired = AuditEvent.encode(rules);
        event.activeAfter = activeBefore == activeAfter ? null : activeAfter;
        event.actedBy = actedBy;
        return event;
    }
}
