package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.sync.MembershipSyncException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The groups a SCIM client pushes, and what they do to their members' memberships. A pushed group is the
 * provider's group: each member's memberships of source {@link MembershipSource#SCIM} are the app groups that
 * the display names of the member's pushed groups map to ({@link GroupMapper#mapPushed}: by {@code
 * groupMappings}, else by name, with the case rules, as values of the groups claim). Every change of a group
 * (create, replace, delete, and a member's deletion) recomputes the SCIM memberships of the users it touches,
 * in the same transaction, through {@link MembershipChange} (actor {@value MembershipStore#ACTOR_SCIM}): only
 * {@code SCIM} memberships change, each user's primary role is recomputed from all their groups, and each
 * changed user's membership version grows, so live sessions see it at their next refresh; this node's
 * sessions are told at once.
 *
 * <p>Locks: a write locks the group's row, then the users' rows in id order, as {@link ScimUsers} does.
 */
final class ScimGroups {

    private final Transactions transactions;
    private final MembershipStore.ChangeListener changes;

    ScimGroups(Transactions transactions, MembershipStore.ChangeListener changes) {
        this.transactions = transactions;
        this.changes = changes;
    }

    /** A user whose memberships a transaction changed, told to the store's listener once it is committed. */
    record Changed(String issuer, String subject, boolean active) {}

    ScimGroup create(ScimGroup.Write write, GroupMapper mapper) {
        List<Changed> changed = new ArrayList<>();
        ScimGroup created = transactions.transaction(
                "create the SCIM group '" + write.id() + "'", MembershipStoreException::new, em -> {
                    changed.clear(); // a retried transaction starts again
                    refuseTakenName(em, write.displayName(), null);
                    Map<String, Long> members = members(em, write.memberIds());
                    ScimGroupEntity group = new ScimGroupEntity(write.id(), transactions.now());
                    apply(group, write);
                    em.persist(group);
                    em.flush();
                    members.keySet().forEach(member -> em.persist(new ScimGroupMemberEntity(group.id, member)));
                    em.flush();
                    changed.addAll(resync(em, members.values(), mapper));
                    return toRecord(em, group, true);
                });
        tell(changed);
        return created;
    }

    Optional<ScimGroup> find(String id, boolean withMembers) {
        return transactions.read(
                em -> Optional.ofNullable(em.find(ScimGroupEntity.class, id)).map(g -> toRecord(em, g, withMembers)));
    }

    /** The groups {@code lookup} selects ({@code value} ignored for {@link ScimLookup#ALL}), oldest first. */
    List<ScimGroup> list(ScimLookup lookup, String value, boolean withMembers) {
        return transactions.read(em -> {
            List<ScimGroupEntity> groups = switch (lookup) {
                case ALL ->
                    em.createNamedQuery(ScimGroupEntity.ALL, ScimGroupEntity.class)
                            .getResultList();
                case NAME ->
                    em.createNamedQuery(ScimGroupEntity.BY_NAME_KEY, ScimGroupEntity.class)
                            .setParameter("key", key(value))
                            .getResultList();
                case EXTERNAL_ID ->
                    em.createNamedQuery(ScimGroupEntity.BY_EXTERNAL_ID, ScimGroupEntity.class)
                            .setParameter("externalId", value)
                            .getResultList();
            };
            Map<String, List<ScimGroup.Member>> members = withMembers ? membersOf(em, groups) : Map.of();
            return groups.stream()
                    .map(g -> record(g, members.getOrDefault(g.id, List.of())))
                    .toList();
        });
    }

    Optional<ScimGroup> replace(ScimGroup.Write write, GroupMapper mapper) {
        List<Changed> changed = new ArrayList<>();
        Optional<ScimGroup> replaced = transactions.transaction(
                "replace the SCIM group '" + write.id() + "'", MembershipStoreException::new, em -> {
                    changed.clear(); // a retried transaction starts again
                    ScimGroupEntity group = em.find(ScimGroupEntity.class, write.id(), LockModeType.PESSIMISTIC_WRITE);
                    if (group == null) {
                        return Optional.empty();
                    }
                    refuseTakenName(em, write.displayName(), group.id);
                    Map<String, Long> wanted = members(em, write.memberIds());
                    Set<String> before = new LinkedHashSet<>();
                    for (Object[] row : em.createNamedQuery(ScimGroupMemberEntity.OF_GROUPS, Object[].class)
                            .setParameter("groups", List.of(group.id))
                            .getResultList()) {
                        before.add((String) row[1]);
                    }
                    Set<Long> touched = new TreeSet<>();
                    if (!group.displayName.equals(write.displayName())) { // every member's groups map anew
                        touched.addAll(usersOf(em, group.id));
                    }
                    List<String> leaving = before.stream()
                            .filter(member -> !wanted.containsKey(member))
                            .toList();
                    if (!leaving.isEmpty()) {
                        touched.addAll(usersOfScimUsers(em, leaving));
                        for (int from = 0; from < leaving.size(); from += IN_LIST_LIMIT) {
                            em.createNamedQuery(ScimGroupMemberEntity.DELETE_SOME)
                                    .setParameter("group", group.id)
                                    .setParameter(
                                            "scimUsers",
                                            leaving.subList(from, Math.min(leaving.size(), from + IN_LIST_LIMIT)))
                                    .executeUpdate();
                        }
                    }
                    wanted.forEach((member, userId) -> {
                        if (!before.contains(member)) {
                            em.persist(new ScimGroupMemberEntity(group.id, member));
                            touched.add(userId);
                        }
                    });
                    apply(group, write);
                    em.flush();
                    changed.addAll(resync(em, touched, mapper));
                    return Optional.of(toRecord(em, group, true));
                });
        tell(changed);
        return replaced;
    }

    boolean delete(String id, GroupMapper mapper) {
        List<Changed> changed = new ArrayList<>();
        boolean deleted =
                transactions.transaction("delete the SCIM group '" + id + "'", MembershipStoreException::new, em -> {
                    changed.clear(); // a retried transaction starts again
                    ScimGroupEntity group = em.find(ScimGroupEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
                    if (group == null) {
                        return false;
                    }
                    List<Long> members = usersOf(em, id);
                    em.createNamedQuery(ScimGroupMemberEntity.DELETE_OF_GROUP)
                            .setParameter("group", id)
                            .executeUpdate();
                    em.remove(group);
                    em.flush();
                    changed.addAll(resync(em, members, mapper));
                    return true;
                });
        tell(changed);
        return deleted;
    }

    /**
     * Takes a SCIM user out of every pushed group, in the caller's transaction (the user's deletion), and
     * recomputes their SCIM memberships (none are left).
     */
    List<Changed> removeMember(EntityManager em, String scimUserId, long userId, GroupMapper mapper) {
        int removed = em.createNamedQuery(ScimGroupMemberEntity.DELETE_OF_USER)
                .setParameter("scimUser", scimUserId)
                .executeUpdate();
        return removed == 0 ? List.of() : resync(em, List.of(userId), mapper);
    }

    /** The most values one {@code IN} list binds (well below every supported database's limit). */
    private static final int IN_LIST_LIMIT = 1000;

    /**
     * Makes each user's {@code SCIM} memberships what their pushed groups map to, in the caller's
     * transaction: the users' rows are locked in id order; what changes is one audited {@link MembershipChange}
     * per user, with the user's primary role recomputed from all their groups.
     */
    private List<Changed> resync(EntityManager em, Collection<Long> userIds, GroupMapper mapper) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        Map<String, Long> groupIds = new HashMap<>();
        List<AppGroup> appGroups = new ArrayList<>(Directory.appGroups(em, groupIds));
        List<Changed> changed = new ArrayList<>();
        for (long userId : new TreeSet<>(userIds)) {
            UserEntity user = em.find(UserEntity.class, userId, LockModeType.PESSIMISTIC_WRITE);
            if (user == null) {
                continue;
            }
            List<String> pushed = em.createNamedQuery(ScimGroupEntity.NAMES_OF_USER, String.class)
                    .setParameter("user", userId)
                    .getResultList();
            GroupMapper.Pushed mapped = mapper.mapPushed(pushed, appGroups);
            List<String> created;
            try {
                created = LoginSync.createGroups(
                        em,
                        mapped.toCreate(),
                        groupIds,
                        transactions.now(),
                        mapper.config().maxCreatedGroups());
            } catch (MembershipSyncException e) {
                throw new ScimUser.InvalidValueException(e.getMessage().replace("The login", "The SCIM change"));
            }
            for (String name : created) {
                appGroups.add(mapped.toCreate().stream()
                        .filter(g -> g.name().equals(name))
                        .findFirst()
                        .orElseThrow());
            }
            Memberships current = Memberships.of(em, userId);
            Set<String> held = current.groupsOf(MembershipSource.SCIM);
            Set<String> wanted = new LinkedHashSet<>(mapped.groups());
            List<String> add = wanted.stream().filter(g -> !held.contains(g)).toList();
            List<String> remove = held.stream().filter(g -> !wanted.contains(g)).toList();
            Set<String> after = new TreeSet<>(current.groupsNotOf(MembershipSource.SCIM));
            after.addAll(wanted);
            Map<String, AppGroup> byName = new HashMap<>();
            appGroups.forEach(g -> byName.put(g.name(), g));
            List<AppGroup> groupsAfter =
                    after.stream().map(byName::get).filter(Objects::nonNull).toList();
            String roleAfter = mapper.rolesOf(groupsAfter, user.primaryRole).primaryRole();
            MembershipChange change = new MembershipChange(
                    MembershipSource.SCIM,
                    MembershipStore.ACTOR_SCIM,
                    add,
                    remove,
                    created,
                    user.primaryRole,
                    roleAfter,
                    add.isEmpty() && remove.isEmpty() ? List.of() : mapped.rules(),
                    user.active,
                    user.active);
            change.apply(em, user, current, groupIds, transactions.now(), MembershipStoreException::new);
            user.primaryRole = roleAfter;
            if (change.changesAnything()) {
                changed.add(new Changed(user.issuer, user.subject, user.active));
            }
        }
        return changed;
    }

    /** Tells this node's sessions, through the store's listener, of the changes just committed. */
    void tell(List<Changed> changed) {
        changed.forEach(c -> changes.userChanged(c.issuer(), c.subject(), c.active()));
    }

    /** The SCIM users these ids name, each with its user's id; refuses an id that is no SCIM user's. */
    private static Map<String, Long> members(EntityManager em, List<String> memberIds) {
        Map<String, Long> members = new LinkedHashMap<>();
        for (String id : new LinkedHashSet<>(memberIds)) {
            ScimUserEntity user = em.find(ScimUserEntity.class, id);
            if (user == null) {
                throw new ScimUser.InvalidValueException("The member '" + id + "' is no User of this endpoint");
            }
            members.put(id, user.userId);
        }
        return members;
    }

    private static List<Long> usersOf(EntityManager em, String groupId) {
        return em.createNamedQuery(ScimGroupMemberEntity.USERS_OF_GROUP, Long.class)
                .setParameter("group", groupId)
                .getResultList();
    }

    private static List<Long> usersOfScimUsers(EntityManager em, List<String> scimUserIds) {
        List<Long> users = new ArrayList<>();
        for (String id : scimUserIds) {
            ScimUserEntity user = em.find(ScimUserEntity.class, id);
            if (user != null) {
                users.add(user.userId);
            }
        }
        return users;
    }

    private static void refuseTakenName(EntityManager em, String displayName, String exceptId) {
        for (ScimGroupEntity other : em.createNamedQuery(ScimGroupEntity.BY_NAME_KEY, ScimGroupEntity.class)
                .setParameter("key", key(displayName))
                .getResultList()) {
            if (!other.id.equals(exceptId)) {
                throw new ScimUser.ConflictException("The displayName is taken by another SCIM group");
            }
        }
    }

    private void apply(ScimGroupEntity group, ScimGroup.Write write) {
        if (write.displayName().length() > MembershipStore.MAX_GROUP_NAME_LENGTH) {
            throw new ScimUser.InvalidValueException(
                    "The displayName is " + write.displayName().length() + " characters long, more than "
                            + MembershipStore.MAX_GROUP_NAME_LENGTH);
        }
        group.displayName = write.displayName();
        group.displayNameKey = key(write.displayName());
        group.externalId = write.externalId();
        group.resource = write.resource();
        group.lastModified = transactions.now();
    }

    private static ScimGroup toRecord(EntityManager em, ScimGroupEntity group, boolean withMembers) {
        return record(group, withMembers ? membersOf(em, List.of(group)).getOrDefault(group.id, List.of()) : List.of());
    }

    private static ScimGroup record(ScimGroupEntity group, List<ScimGroup.Member> members) {
        return new ScimGroup(group.id, group.displayName, group.resource, members, group.createdAt, group.lastModified);
    }

    private static Map<String, List<ScimGroup.Member>> membersOf(EntityManager em, List<ScimGroupEntity> groups) {
        Map<String, List<ScimGroup.Member>> members = new TreeMap<>();
        List<String> ids = groups.stream().map(g -> g.id).toList();
        for (int from = 0; from < ids.size(); from += IN_LIST_LIMIT) {
            for (Object[] row : em.createNamedQuery(ScimGroupMemberEntity.OF_GROUPS, Object[].class)
                    .setParameter("groups", ids.subList(from, Math.min(ids.size(), from + IN_LIST_LIMIT)))
                    .getResultList()) {
                members.computeIfAbsent((String) row[0], id -> new ArrayList<>())
                        .add(new ScimGroup.Member((String) row[1], (String) row[2]));
            }
        }
        return members;
    }

    /** A display name folded for comparison without regard to case. */
    static String key(String displayName) {
        return displayName.toLowerCase(Locale.ROOT);
    }
}
