package dev.rolebridge.internal.store;

import dev.rolebridge.internal.config.ScimSettings.UserMatch;
import dev.rolebridge.internal.mapping.GroupMapper;
import dev.rolebridge.sync.LoginIdentity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The users a SCIM client provisions, each tied to one {@code RB_USER} row, so that what SCIM says about a
 * person (active or not, their groups) and what their logins say land on the same user. A SCIM user whom
 * no login has claimed yet has a row of its own with a placeholder subject; the first login that presents the
 * configured match ({@code scimUserMatch}) takes that row over (see {@link #claimAtFirstLogin}). A SCIM user
 * created for a person who signed in before is tied to that person's row at once.
 */
final class ScimUsers {

    /** The subject of a row that awaits its first login: never a provider's, which are the provider's ids. */
    static final String PLACEHOLDER_SUBJECT_PREFIX = "scim-awaiting-login:";

    private final Transactions transactions;
    private final MembershipStore.ChangeListener changes;
    private final ScimGroups groups;

    ScimUsers(Transactions transactions, MembershipStore.ChangeListener changes, ScimGroups groups) {
        this.transactions = transactions;
        this.changes = changes;
        this.groups = groups;
    }

    /** A user whose active flag a transaction changed, told to the store's listener once it is committed. */
    private record Activation(String issuer, String subject, boolean active) {}

    ScimUser create(String issuer, UserMatch match, ScimUser.Write write) {
        List<Activation> activations = new ArrayList<>();
        ScimUser created = transactions.transaction(
                "create the SCIM user '" + write.id() + "'", MembershipStoreException::new, em -> {
                    activations.clear(); // a retried transaction starts again
                    String key = key(write.userName());
                    refuseTakenName(em, key, null);
                    UserEntity user = existingUser(em, issuer, match, write);
                    ScimUserEntity scim;
                    if (user != null) {
                        user = em.find(UserEntity.class, user.id, LockModeType.PESSIMISTIC_WRITE);
                        scim = new ScimUserEntity(write.id(), user.id, transactions.now());
                        scim.awaitsLogin = false;
                    } else {
                        user = new UserEntity(
                                issuer, PLACEHOLDER_SUBJECT_PREFIX + write.id(), write.userName(), transactions.now());
                        em.persist(user);
                        em.flush();
                        scim = new ScimUserEntity(write.id(), user.id, transactions.now());
                        scim.awaitsLogin = true;
                        user.email = write.email();
                    }
                    if (scim.awaitsLogin) {
                        user.active = write.active(); // a new row: nothing to tell
                    } else {
                        setActive(em, user, write.active(), activations);
                    }
                    apply(scim, match, write);
                    em.persist(scim);
                    return scim.toRecord();
                });
        tell(activations);
        return created;
    }

    Optional<ScimUser> find(String id) {
        return transactions.read(
                em -> Optional.ofNullable(em.find(ScimUserEntity.class, id)).map(ScimUserEntity::toRecord));
    }

    /** The users {@code lookup} selects ({@code value} ignored for {@link ScimLookup#ALL}), oldest first. */
    List<ScimUser> list(ScimLookup lookup, String value) {
        return transactions.read(em -> (switch (lookup) {
                    case ALL -> em.createNamedQuery(ScimUserEntity.ALL, ScimUserEntity.class);
                    case NAME ->
                        em.createNamedQuery(ScimUserEntity.BY_NAME_KEY, ScimUserEntity.class)
                                .setParameter("key", key(value));
                    case EXTERNAL_ID ->
                        em.createNamedQuery(ScimUserEntity.BY_EXTERNAL_ID, ScimUserEntity.class)
                                .setParameter("externalId", value);
                })
                .getResultList().stream().map(ScimUserEntity::toRecord).toList());
    }

    Optional<ScimUser> replace(UserMatch match, ScimUser.Write write) {
        List<Activation> activations = new ArrayList<>();
        Optional<ScimUser> replaced = transactions.transaction(
                "replace the SCIM user '" + write.id() + "'", MembershipStoreException::new, em -> {
                    activations.clear(); // a retried transaction starts again
                    ScimUserEntity scim = em.find(ScimUserEntity.class, write.id(), LockModeType.PESSIMISTIC_WRITE);
                    if (scim == null) {
                        return Optional.empty();
                    }
                    refuseTakenName(em, key(write.userName()), scim.id);
                    UserEntity user = em.find(UserEntity.class, scim.userId, LockModeType.PESSIMISTIC_WRITE);
                    setActive(em, user, write.active(), activations);
                    if (scim.awaitsLogin) {
                        user.rename(write.userName());
                        user.email = write.email();
                    }
                    apply(scim, match, write);
                    return Optional.of(scim.toRecord());
                });
        tell(activations);
        return replaced;
    }

    /**
     * Deletes a SCIM user and takes them out of every pushed group: a row that awaits its first login goes with
     * its memberships; the row of a person who signed in stays, deactivated and without its SCIM memberships,
     * for the audit trail, and their next login is refused.
     */
    boolean delete(String id, GroupMapper mapper) {
        List<Activation> activations = new ArrayList<>();
        List<ScimGroups.Changed> changed = new ArrayList<>();
        boolean deleted =
                transactions.transaction("delete the SCIM user '" + id + "'", MembershipStoreException::new, em -> {
                    activations.clear(); // a retried transaction starts again
                    changed.clear();
                    ScimUserEntity scim = em.find(ScimUserEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
                    if (scim == null) {
                        return false;
                    }
                    long userId = scim.userId;
                    boolean awaiting = scim.awaitsLogin;
                    if (awaiting) {
                        em.createNamedQuery(ScimGroupMemberEntity.DELETE_OF_USER)
                                .setParameter("scimUser", id)
                                .executeUpdate();
                    } else {
                        changed.addAll(groups.removeMember(em, id, userId, mapper));
                    }
                    em.remove(scim);
                    em.flush();
                    if (awaiting) {
                        em.createNamedQuery(ScimUserEntity.DELETE_MEMBERSHIPS)
                                .setParameter("user", userId)
                                .executeUpdate();
                        em.createNamedQuery(ScimUserEntity.DELETE_USER)
                                .setParameter("user", userId)
                                .executeUpdate();
                    } else {
                        UserEntity user = em.find(UserEntity.class, userId, LockModeType.PESSIMISTIC_WRITE);
                        setActive(em, user, false, activations);
                    }
                    return true;
                });
        groups.tell(changed);
        tell(activations);
        return deleted;
    }

    /**
     * Activates or deactivates the user as every other writer does: audited (actor {@value
     * MembershipStore#ACTOR_SCIM}) and with the user's membership version bumped, so live sessions see it at
     * their next refresh.
     */
    private void setActive(EntityManager em, UserEntity user, boolean active, List<Activation> activations) {
        if (user.active != active) {
            activations.add(new Activation(user.issuer, user.subject, active));
            MembershipChange.activation(MembershipStore.ACTOR_SCIM, active, user)
                    .apply(
                            em,
                            user,
                            Memberships.none(),
                            java.util.Map.of(),
                            transactions.now(),
                            MembershipStoreException::new);
        }
    }

    /** Tells this node's sessions, through the store's listener, of the activations just committed. */
    private void tell(List<Activation> activations) {
        activations.forEach(a -> changes.userChanged(a.issuer(), a.subject(), a.active()));
    }

    /**
     * The row a SCIM client provisioned for the person of this first login, taken over with the login's
     * subject and locked, or {@code null} when none awaits this login (or more than one would match). Runs in
     * the login's transaction.
     */
    static UserEntity claimAtFirstLogin(EntityManager em, LoginIdentity login) {
        List<String> keys = new ArrayList<>(List.of(loginKey(UserMatch.EXTERNAL_ID, login.subject())));
        if (login.username() != null) {
            keys.add(loginKey(UserMatch.USER_NAME, login.username()));
        }
        List<ScimUserEntity> found = new ArrayList<>();
        for (ScimUserEntity candidate : em.createNamedQuery(ScimUserEntity.AWAITING, ScimUserEntity.class)
                .setParameter("keys", keys)
                .getResultList()) {
            // a row's issuer never changes: read without a lock (the claimed one is locked below)
            UserEntity row = em.find(UserEntity.class, candidate.userId);
            if (row != null && row.issuer.equals(login.issuer())) {
                found.add(candidate);
            }
        }
        if (found.size() != 1) {
            if (found.size() > 1) {
                MembershipStore.LOG.warn(
                        "{} SCIM users await the first login of subject '{}'; it claims none of them",
                        found.size(),
                        login.subject());
            }
            return null;
        }
        ScimUserEntity scim = found.get(0);
        em.createNamedQuery(ScimUserEntity.SET_SUBJECT)
                .setParameter("subject", login.subject())
                .setParameter("id", scim.userId)
                .executeUpdate();
        scim.awaitsLogin = false;
        scim.loginKey = null;
        UserEntity user = em.find(UserEntity.class, scim.userId, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(user);
        MembershipStore.LOG.info(
                "The first login of subject '{}' signs in as the SCIM user '{}' provisioned before",
                login.subject(),
                scim.id);
        return user;
    }

    /** The row of a person who signed in before and whom this SCIM user names, or {@code null}. */
    private static UserEntity existingUser(EntityManager em, String issuer, UserMatch match, ScimUser.Write write) {
        List<UserEntity> found;
        if (match == UserMatch.EXTERNAL_ID) {
            if (write.externalId() == null) {
                return null;
            }
            UserEntity user = UserEntity.find(em, issuer, write.externalId(), false);
            found = user == null ? List.of() : List.of(user);
        } else {
            found = em.createNamedQuery(ScimUserEntity.USERS_BY_NAME, UserEntity.class)
                    .setParameter("issuer", issuer)
                    .setParameter("key", key(write.userName()))
                    .getResultList();
        }
        if (found.size() != 1) {
            return null;
        }
        UserEntity user = found.get(0);
        boolean tied = !em.createNamedQuery(ScimUserEntity.BY_USER, ScimUserEntity.class)
                .setParameter("user", user.id)
                .getResultList()
                .isEmpty();
        if (tied) {
            throw new ScimUser.ConflictException("The person this SCIM user names is provisioned already");
        }
        return user;
    }

    private static void refuseTakenName(EntityManager em, String key, String exceptId) {
        for (ScimUserEntity other : em.createNamedQuery(ScimUserEntity.BY_NAME_KEY, ScimUserEntity.class)
                .setParameter("key", key)
                .getResultList()) {
            if (!other.id.equals(exceptId)) {
                throw new ScimUser.ConflictException("The userName is taken by another SCIM user");
            }
        }
    }

    private void apply(ScimUserEntity scim, UserMatch match, ScimUser.Write write) {
        scim.userName = write.userName();
        scim.userNameKey = key(write.userName());
        scim.externalId = write.externalId();
        scim.resource = write.resource();
        scim.lastModified = transactions.now();
        if (scim.awaitsLogin) {
            String value = match == UserMatch.EXTERNAL_ID ? write.externalId() : write.userName();
            scim.loginKey = value == null ? null : loginKey(match, value);
        }
    }

    /** A user name folded for comparison without regard to case. */
    static String key(String userName) {
        return userName.toLowerCase(Locale.ROOT);
    }

    private static String loginKey(UserMatch match, String value) {
        return match == UserMatch.EXTERNAL_ID ? "s:" + value : "u:" + key(value);
    }
}
