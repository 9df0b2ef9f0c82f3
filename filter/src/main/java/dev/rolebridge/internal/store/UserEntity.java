package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.persistence.config.PessimisticLock;
import org.eclipse.persistence.config.QueryHints;

/**
 * A row of {@code RB_USER}: one provider account, identified by issuer and subject. Times are kept in UTC
 * microseconds ({@link UtcMicros}).
 */
@NamedQueries({
    @NamedQuery(
            name = UserEntity.BY_ACCOUNT,
            query = "SELECT u FROM RbUser u WHERE u.issuer = :issuer AND u.subject = :subject"),
    // the same, locking the row (SELECT ... FOR UPDATE). By EclipseLink's lock hint, which the named query keeps
    // prepared: a JPA lock mode, on the query object or in the annotation, makes EclipseLink copy the query and
    // build and the database parse its SQL anew at every login
    @NamedQuery(
            name = UserEntity.BY_ACCOUNT_FOR_UPDATE,
            query = "SELECT u FROM RbUser u WHERE u.issuer = :issuer AND u.subject = :subject",
            hints = @QueryHint(name = QueryHints.PESSIMISTIC_LOCK, value = PessimisticLock.Lock)),
    // the one query a signed-in session runs at most once per roleRefreshSeconds
    @NamedQuery(
            name = UserEntity.VERSION_OF_ACCOUNT,
            query = "SELECT u.id, u.membershipVersion, u.active, u.primaryRole FROM RbUser u"
                    + " WHERE u.issuer = :issuer AND u.subject = :subject"),
    // the administration page's user search: every user, or those whose username, e-mail or subject contains
    // :pattern (a LIKE pattern in lower case, escaped with '!'), ignoring case
    @NamedQuery(name = UserEntity.ALL_BY_NAME, query = "SELECT u FROM RbUser u ORDER BY u.username, u.id"),
    @NamedQuery(name = UserEntity.COUNT_ALL, query = "SELECT COUNT(u) FROM RbUser u"),
    @NamedQuery(
            name = UserEntity.SEARCH,
            query = "SELECT u FROM RbUser u WHERE " + UserEntity.MATCHES + " ORDER BY u.username, u.id"),
    @NamedQuery(name = UserEntity.COUNT_SEARCH, query = "SELECT COUNT(u) FROM RbUser u WHERE " + UserEntity.MATCHES),
    // a change of a group's grants changes the roles of every member, whatever the source of their membership
    @NamedQuery(
            name = UserEntity.BUMP_MEMBERS_OF_GROUP,
            query = "UPDATE RbUser u SET u.membershipVersion = u.membershipVersion + 1"
                    + " WHERE u.id IN (SELECT m.userId FROM RbMembership m WHERE m.groupId = :group)")
})
@Entity(name = "RbUser")
@Table(name = "RB_USER")
class UserEntity {

    static final String BY_ACCOUNT = "RbUser.byAccount";
    static final String BY_ACCOUNT_FOR_UPDATE = "RbUser.byAccountForUpdate";

    static final String VERSION_OF_ACCOUNT = "RbUser.versionOfAccount";

    static final String BUMP_MEMBERS_OF_GROUP = "RbUser.bumpMembersOfGroup";

    static final String ALL_BY_NAME = "RbUser.allByName";

    static final String COUNT_ALL = "RbUser.countAll";

    static final String SEARCH = "RbUser.search";

    static final String COUNT_SEARCH = "RbUser.countSearch";

    /**
     * The condition of {@link #SEARCH}: the columns folded by the database's {@code LOWER}, the pattern by the
     * caller ({@link java.util.Locale#ROOT}); {@code '!'} as the escape, as a backslash in a literal means
     * different things on MariaDB and the others.
     */
    static final String MATCHES = "(LOWER(u.username) LIKE :pattern ESCAPE '!'"
            + " OR LOWER(u.email) LIKE :pattern ESCAPE '!' OR LOWER(u.subject) LIKE :pattern ESCAPE '!')";

    @Id
    @SequenceGenerator(name = "RB_USER", sequenceName = "RB_USER_SEQ", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "RB_USER")
    @Column(name = "ID")
    Long id;

    @Column(name = "ISSUER", nullable = false, updatable = false)
    String issuer;

    @Column(name = "SUBJECT", nullable = false, updatable = false)
    String subject;

    @Column(name = "USERNAME", nullable = false)
    String username;

    /** {@link #username} folded ({@link #usernameKey(String)}), indexed: set with it by {@link #rename}. */
    @Column(name = "USERNAME_KEY")
    String usernameKey;

    @Column(name = "EMAIL")
    String email;

    @Column(name = "PRIMARY_ROLE")
    String primaryRole;

    @Column(name = "ACTIVE", nullable = false)
    boolean active;

    /**
     * Grows by one with every change of the user's memberships, primary role or active flag, in the change's
     * transaction ({@link MembershipChange#apply}), and with every change of the grants of a group the user is in
     * ({@link Directory#createGroupGranting}); a signed-in session compares it to notice a change.
     */
    @Column(name = "MEMBERSHIP_VERSION", nullable = false)
    long membershipVersion;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "CREATED_AT", nullable = false, updatable = false)
    Instant createdAt;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "LAST_LOGIN")
    Instant lastLogin;

    protected UserEntity() {}

    UserEntity(String issuer, String subject, String username, Instant createdAt) {
        this.issuer = issuer;
        this.subject = subject;
        rename(username);
        this.active = true;
        this.createdAt = createdAt;
    }

    /** Sets the user name and its folded key, which SCIM and the audit trail's user filter look users up by. */
    void rename(String newUsername) {
        this.username = newUsername;
        this.usernameKey = usernameKey(newUsername);
    }

    /** A user name folded to lower case ({@link Locale#ROOT}): names that differ only in case share the key. */
    static String usernameKey(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    /**
     * The user of this issuer and subject, or {@code null}; with {@code lock}, the row is locked for the rest
     * of the transaction, so concurrent changes of one user run one after the other.
     */
    static UserEntity find(EntityManager em, String issuer, String subject, boolean lock) {
        List<UserEntity> found = em.createNamedQuery(lock ? BY_ACCOUNT_FOR_UPDATE : BY_ACCOUNT, UserEntity.class)
                .setParameter("issuer", issuer)
                .setParameter("subject", subject)
                .getResultList();
        return found.isEmpty() ? null : found.get(0);
    }
}
