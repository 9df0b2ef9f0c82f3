package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.MappingConfig;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The tables as an administrator or the application reads and changes them: users with their memberships,
 * application groups and their grants, mapping rules, the audit trail, and the configuration seeded at
 * start. Membership changes go through {@link MembershipChange}, as a login's do; the public methods are
 * {@link MembershipStore}'s, documented there.
 */
final class Directory {

    private final Transactions transactions;
    private final MembershipStore.ChangeListener changes;

    Directory(Transactions transactions, MembershipStore.ChangeListener changes) {
        this.transactions = transactions;
        this.changes = changes;
    }

    Seeding seed(MappingConfig config) {
        return transactions.transaction(
                "seed the membership store from the configuration",
                MembershipStoreException::new,
                em -> Seeding.apply(em, config, transactions.now()));
    }

    List<AppGroup> appGroups() {
        return transactions.read(em -> appGroups(em, new HashMap<>()));
    }

    /** Every application group with the roles it grants, in id order; fills {@code ids} with each group's id. */
    static List<AppGroup> appGroups(EntityManager em, Map<String, Long> ids) {
        return read(em.createNamedQuery(GroupEntity.WITH_ROLES, Object[].class).getResultList(), ids, null);
    }

    /**
     * As {@link #appGroups(EntityManager, Map)}, and the memberships of user {@code userId} into {@code
     * memberships}, with one statement: a login's read of the directory and of the user.
     */
    static List<AppGroup> appGroups(EntityManager em, Map<String, Long> ids, long userId, Memberships memberships) {
        return read(
                em.createNamedQuery(GroupEntity.WITH_ROLES_AND_MEMBERSHIPS, Object[].class)
                        .setParameter("user", userId)
                        .getResultList(),
                ids,
                memberships);
    }

    /** Rows of group id, name, granted role or null and, with {@code memberships}, the user's source or null. */
    private static List<AppGroup> read(List<Object[]> rows, Map<String, Long> ids, Memberships memberships) {
        Map<String, Set<String>> rolesByGroup = new LinkedHashMap<>();
        for (Object[] row : rows) {
            String name = (String) row[1];
            ids.put(name, (Long) row[0]);
            Set<String> roles = rolesByGroup.computeIfAbsent(name, n -> new LinkedHashSet<>());
            if (row[2] != null) {
                roles.add((String) row[2]);
            }
            if (memberships != null && row[3] != null) {
                memberships.add(name, (MembershipSource) row[3]);
            }
        }
        return rolesByGroup.entrySet().stream()
                .map(e -> new AppGroup(e.getKey(), e.getValue()))
                .toList();
    }

    List<MappingRule> mappingRules() {
        return transactions.read(em ->
                em.createNamedQuery(MappingRuleEntity.ALL, MappingRuleEntity.class).getResultList().stream()
                        .filter(r -> r.action == StoredRule.Action.APPLY)
                        .sorted(Comparator.comparing((MappingRuleEntity r) -> r.origin != Origin.CONFIG)
                                .thenComparingInt(r -> r.position)
                                .thenComparingLong(r -> r.id))
                        .map(MappingRuleEntity::toRule)
                        .toList());
    }

    Optional<StoredUser> findUserById(long id) {
        return transactions.read(
                em -> Optional.ofNullable(em.find(UserEntity.class, id)).map(user -> stored(em, user)));
    }

    private static StoredUser stored(EntityManager em, UserEntity user) {
        return new StoredUser(
                user.id,
                user.issuer,
                user.subject,
                user.username,
                user.email,
                user.primaryRole,
                user.lastLogin,
                user.active,
                Memberships.of(em, user.id).list());
    }

    /** Whether anyone holds app group {@code name} from a login or from SCIM. */
    boolean heldFromSync(String name) {
        return transactions.read(em -> !em.createNamedQuery(MembershipEntity.SYNCED_OF_GROUP, Long.class)
                .setParameter("name", name)
                .setParameter("sources", List.of(MembershipSource.OIDC, MembershipSource.SCIM))
                .setMaxResults(1)
                .getResultList()
                .isEmpty());
    }

    Optional<StoredUser> findUser(String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        return transactions.read(em -> {
            UserEntity user = UserEntity.find(em, issuer, subject, false);
            return user == null ? Optional.<StoredUser>empty() : Optional.of(stored(em, user));
        });
    }

    /**
     * Applies one change of an existing user's memberships of one source in one transaction, holding the
     * user's row lock: what is asked and already so is left out, and nothing is written (not even an audit
     * event) when that leaves nothing to do.
     *
     * @throws MembershipStoreException when the user or a group does not exist, or the database fails
     */
    void changeMemberships(
            String issuer,
            String subject,
            MembershipSource source,
            String actor,
            List<String> add,
            List<String> remove) {
        changeMemberships(issuer, subject, source, actor, null, add, remove);
    }

    /** As {@link #changeMemberships(String, String, MembershipSource, String, List, List)}, made by {@code actedBy}. */
    void changeMemberships(
            String issuer,
            String subject,
            MembershipSource source,
            String actor,
            String actedBy,
            List<String> add,
            List<String> remove) {
        String what = source + " memberships of subject '" + subject + "'";
        changeUser("change the " + what, issuer, subject, (em, user) -> {
            Map<String, Long> groupIds = new HashMap<>();
            for (String name : new LinkedHashSet<>(concat(add, remove))) {
                GroupEntity group = GroupEntity.find(em, name);
                if (group == null) {
                    throw new MembershipStoreException("App group '" + name + "' does not exist; create it first");
                }
                groupIds.put(name, group.id);
            }
            Memberships current = Memberships.of(em, user.id);
            MembershipChange change = MembershipChange.of(source, actor, add, remove, user)
                    .onlyChanges(current)
                    .by(actedBy);
            change.apply(em, user, current, groupIds, transactions.now(), MembershipStoreException::new);
            return change;
        });
    }

    /**
     * Deactivates ({@code active} false) or reactivates an existing user in one transaction, holding the
     * user's row lock, as one audited {@link MembershipChange}; nothing is written when the user's flag is so
     * already.
     *
     * @throws MembershipStoreException when the user does not exist, or the database fails
     */
    void setActive(String issuer, String subject, boolean active, String actor) {
        Objects.requireNonNull(actor, "actor");
        changeUser(
                (active ? "reactivate" : "deactivate") + " subject '" + subject + "'", issuer, subject, (em, user) -> {
                    MembershipChange change = MembershipChange.activation(actor, active, user);
                    change.apply(
                            em, user, Memberships.none(), Map.of(), transactions.now(), MembershipStoreException::new);
                    return change;
                });
    }

    /**
     * Runs one change of an existing user in a transaction that holds the user's row lock, and tells the
     * store's listener once it is committed, if it changed anything.
     */
    private void changeUser(
            String what,
            String issuer,
            String subject,
            BiFunction<EntityManager, UserEntity, MembershipChange> change) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        MembershipChange applied = transactions.transaction(what, MembershipStoreException::new, em -> {
            UserEntity user = UserEntity.find(em, issuer, subject, true);
            if (user == null) {
                throw new MembershipStoreException("No user with subject '" + subject + "' and issuer '" + issuer
                        + "' exists; users are created by their first login");
            }
            return change.apply(em, user);
        });
        if (applied.changesAnything()) {
            changes.userChanged(issuer, subject, applied.activeAfter());
        }
    }

    /**
     * The store's version of a user's memberships, role and active flag, as a signed-in session compares it:
     * one query by issuer and subject; empty when the user never logged in.
     */
    Optional<MembershipStore.UserVersion> userVersion(String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        return transactions.read(em -> em
                .createNamedQuery(UserEntity.VERSION_OF_ACCOUNT, Object[].class)
                .setParameter("issuer", issuer)
                .setParameter("subject", subject)
                .getResultList()
                .stream()
                .findFirst()
                .map(row -> new MembershipStore.UserVersion(
                        ((Number) row[0]).longValue(), ((Number) row[1]).longValue(), (Boolean) row[2], (String)
                                row[3])));
    }

    /**
     * The groups of the user {@code version} names, from any source, each with the roles stored for it, in name
     * order: one query. Read after the version, so that a change committed in between shows as a newer version
     * at the next look rather than being missed.
     */
    List<AppGroup> groupsOf(MembershipStore.UserVersion version) {
        return transactions.read(em -> {
            Map<String, Set<String>> rolesByGroup = new TreeMap<>(); // name order, as a login's groups
            for (Object[] row : em.createNamedQuery(MembershipEntity.OF_USER_WITH_ROLES, Object[].class)
                    .setParameter("user", version.userId())
                    .getResultList()) {
                Set<String> roles = rolesByGroup.computeIfAbsent((String) row[0], name -> new LinkedHashSet<>());
                if (row[1] != null) {
                    roles.add((String) row[1]);
                }
            }
            return rolesByGroup.entrySet().stream()
                    .map(e -> new AppGroup(e.getKey(), e.getValue()))
                    .toList();
        });
    }

    void createGroupGranting(String name, Collection<String> grantedRoles) {
        createGroupGranting(name, grantedRoles, null);
    }

    /** As {@link #createGroupGranting(String, Collection)}; when {@code actedBy} is set, audited as theirs. */
    void createGroupGranting(String name, Collection<String> grantedRoles, String actedBy) {
        Objects.requireNonNull(name, "name");
        Set<String> wanted = new LinkedHashSet<>(Objects.requireNonNull(grantedRoles, "grantedRoles"));
        GroupEntity.checkName(name, MembershipStoreException::new);
        transactions.transaction("create app group '" + name + "'", MembershipStoreException::new, em -> {
            GroupEntity group = GroupEntity.find(em, name);
            if (group == null) {
                group = new GroupEntity(name, Origin.ADMIN, transactions.now());
                em.persist(group);
                em.flush();
            }
            Map<String, Long> roleIds = RoleEntity.ids(em, wanted);
            for (String role : wanted) {
                if (!roleIds.containsKey(role)) {
                    throw new MembershipStoreException("Role '" + role + "' does not exist; the roles are those of"
                            + " rolePriority, the application's declared roles and groupRoles, seeded at start");
                }
            }
            Set<Long> keep = new HashSet<>(roleIds.values());
            boolean grantsChanged = false;
            for (GroupRoleEntity grant : em.createNamedQuery(GroupRoleEntity.OF_GROUP, GroupRoleEntity.class)
                    .setParameter("group", group.id)
                    .getResultList()) {
                if (keep.remove(grant.roleId)) {
                    grant.origin = Origin.ADMIN;
                } else {
                    em.remove(grant);
                    grantsChanged = true;
                }
            }
            for (Long roleId : keep) {
                em.persist(new GroupRoleEntity(group.id, roleId, Origin.ADMIN));
                grantsChanged = true;
            }
            if (grantsChanged) {
                // the members' roles changed with the group's grants: their sessions re-read them (one statement)
                em.flush();
                em.createNamedQuery(UserEntity.BUMP_MEMBERS_OF_GROUP)
                        .setParameter("group", group.id)
                        .executeUpdate();
            }
            if (actedBy != null) {
                AdminRules.audit(
                        em,
                        transactions.now(),
                        actedBy,
                        "app group '" + name + "' grants "
                                + (wanted.isEmpty() ? "no role" : "'" + String.join(", ", wanted) + "'"));
            }
            return null;
        });
    }

    List<AuditEvent> auditEvents(String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        return transactions.read(em -> em
                .createNamedQuery(AuditEventEntity.OF_ACCOUNT, AuditEventEntity.class)
                .setParameter("issuer", issuer)
                .setParameter("subject", subject)
                .getResultList()
                .stream()
                .map(AuditEventEntity::toEvent)
                .toList());
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
