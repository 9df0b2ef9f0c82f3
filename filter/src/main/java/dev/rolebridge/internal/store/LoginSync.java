package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.AppGroup;
import dev.rolebridge.internal.mapping.MappingOutcome;
import dev.rolebridge.internal.mapping.MappingOutcome.Step;
import dev.rolebridge.internal.mapping.UserState;
import dev.rolebridge.internal.store.MembershipStore.Snapshot;
import dev.rolebridge.internal.store.MembershipStore.SyncRecord;
import dev.rolebridge.sync.LoginIdentity;
import dev.rolebridge.sync.MembershipSyncException;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * {@link MembershipStore#sync}: one login in one transaction. Locks (or creates) the user, shows the caller
 * the state before the login, and writes the caller's decision as one {@link MembershipChange} of source
 * {@link MembershipSource#OIDC} with actor {@value MembershipStore#ACTOR_LOGIN}, after creating the groups
 * the decision creates, and records the names of the groups claim that mapped to nothing
 * ({@link UnmappedGroups#record}). A user who was deactivated is refused ({@link UserDeactivatedException}).
 */
final class LoginSync {

    private final Transactions transactions;
    private final MembershipStore.ChangeListener changes;

    LoginSync(Transactions transactions, MembershipStore.ChangeListener changes) {
        this.transactions = transactions;
        this.changes = changes;
    }

    SyncRecord sync(LoginIdentity login, Function<Snapshot, MappingOutcome> decide, int maxCreatedGroups) {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(decide, "decide");
        SyncRecord stored = transactions.transaction(
                "record the login of subject '" + login.subject() + "' (issuer '" + login.issuer() + "')",
                MembershipSyncException::new,
                em -> syncOnce(em, login, decide, maxCreatedGroups));
        if (stored.outcome().changed()) {
            changes.userChanged(login.issuer(), login.subject(), true);
        }
        if (MembershipStore.LOG.isDebugEnabled()) {
            MappingOutcome outcome = stored.outcome();
            MembershipStore.LOG.debug(
                    "Stored the login of subject '{}': added {}, removed {}, created {}, role {} -> {}",
                    login.subject(),
                    outcome.toAdd(),
                    outcome.toRemove(),
                    outcome.toCreate().stream().map(AppGroup::name).toList(),
                    outcome.previousRole(),
                    outcome.primaryRole());
        }
        return stored;
    }

    private SyncRecord syncOnce(
            EntityManager em, LoginIdentity login, Function<Snapshot, MappingOutcome> decide, int maxCreatedGroups) {
        Instant now = transactions.now();
        UserEntity user = UserEntity.find(em, login.issuer(), login.subject(), true);
        if (user == null) {
            user = ScimUsers.claimAtFirstLogin(em, login); // provisioned by SCIM before the person signed in
        }
        if (user != null && !user.active) {
            throw new UserDeactivatedException("The user with subject '" + login.subject() + "' is deactivated;"
                    + " the login is refused and nothing is stored until the user is reactivated");
        }
        boolean newUser = user == null;
        boolean firstLogin = newUser || user.lastLogin == null;

        Map<String, Long> groupIds = new HashMap<>();
        Memberships memberships = Memberships.none();
        List<AppGroup> appGroups = newUser
                ? Directory.appGroups(em, groupIds)
                : Directory.appGroups(em, groupIds, user.id, memberships); // one statement for both
        UserState state = new UserState(
                firstLogin,
                memberships.groupsOf(MembershipSource.OIDC),
                memberships.groupsNotOf(MembershipSource.OIDC),
                newUser ? null : user.primaryRole);
        MappingOutcome outcome = Objects.requireNonNull(
                decide.apply(new Snapshot(firstLogin, appGroups, state)), "decide returned null");

        if (newUser) {
            user = new UserEntity(login.issuer(), login.subject(), login.username(), now);
            em.persist(user);
        }
        user.rename(login.username());
        user.email = login.email();
        user.lastLogin = now;
        user.primaryRole = outcome.primaryRole();
        if (newUser) {
            em.flush(); // the row memberships refer to
        }

        List<String> created = createGroups(em, outcome.toCreate(), groupIds, now, maxCreatedGroups);
        new MembershipChange(
                        MembershipSource.OIDC,
                        MembershipStore.ACTOR_LOGIN,
                        outcome.toAdd(),
                        outcome.toRemove(),
                        created,
                        outcome.previousRole(),
                        outcome.primaryRole(),
                        outcome.trace().stream()
                                .filter(step -> step.kind() == Step.Kind.FIRED || step.kind() == Step.Kind.SKIPPED)
                                .map(Step::toString)
                                .toList(),
                        true,
                        true)
                .apply(em, user, memberships, groupIds, now, MembershipSyncException::new);
        if (!outcome.unmappedGroups().isEmpty()) { // a login whose groups all mapped sends nothing more
            UnmappedGroups.record(em, user.id, newUser, outcome.unmappedGroups(), now);
        }
        return new SyncRecord(user.id, user.membershipVersion, outcome, memberships.groups());
    }

    /** Creates the groups a login maps to that do not exist yet ({@code autoCreateGroups}), with their grants. */
    static List<String> createGroups(
            EntityManager em, List<AppGroup> toCreate, Map<String, Long> groupIds, Instant now, int maxCreatedGroups) {
        if (toCreate.isEmpty()) {
            return List.of();
        }
        long existing = em.createNamedQuery(GroupEntity.COUNT_BY_ORIGIN, Long.class)
                .setParameter("origin", Origin.LOGIN)
                .getSingleResult();
        if (existing + toCreate.size() > maxCreatedGroups) {
            throw new MembershipSyncException("The login would create " + toCreate.size() + " app groups"
                    + " (autoCreateGroups) beside the " + existing + " that logins created before, more than"
                    + " maxCreatedGroups (" + maxCreatedGroups + "); the login is refused and nothing is stored."
                    + " Map the provider's groups with groupMappings, or raise maxCreatedGroups.");
        }
        List<String> created = new ArrayList<>();
        IdentityHashMap<GroupEntity, Set<String>> grants = new IdentityHashMap<>(); // entities have no equals
        for (AppGroup group : toCreate) {
            if (groupIds.containsKey(group.name())) {
                continue;
            }
            GroupEntity.checkName(group.name(), MembershipSyncException::new);
            GroupEntity entity = new GroupEntity(group.name(), Origin.LOGIN, now);
            em.persist(entity);
            groupIds.put(group.name(), entity.id);
            created.add(group.name());
            if (!group.grantedRoles().isEmpty()) {
                grants.put(entity, group.grantedRoles());
            }
        }
        if (!grants.isEmpty()) {
            em.flush(); // the groups the grants refer to
            Map<String, Long> roleIds = RoleEntity.ids(
                    em, grants.values().stream().flatMap(Set::stream).toList());
            grants.forEach((group, roles) -> roles.forEach(role -> {
                Long roleId = roleIds.get(role);
                if (roleId != null) { // a role missing from RB_ROLE (never seeded) is granted by configuration only
                    em.persist(new GroupRoleEntity(group.id, roleId, Origin.CONFIG));
                }
            }));
        }
        return created;
    }
}
