package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;
import java.time.Instant;
import org.eclipse.persistence.config.PessimisticLock;
import org.eclipse.persistence.config.QueryHints;

/**
 * A row of {@code RB_SCIM_USER}: a user a SCIM client provisioned, with its SCIM representation, tied to one
 * {@code RB_USER} row. Times are kept in UTC microseconds ({@link UtcMicros}).
 */
@NamedQueries({
    @NamedQuery(name = ScimUserEntity.ALL, query = "SELECT s FROM RbScimUser s ORDER BY s.createdAt, s.id"),
    @NamedQuery(name = ScimUserEntity.BY_NAME_KEY, query = "SELECT s FROM RbScimUser s WHERE s.userNameKey = :key"),
    @NamedQuery(
            name = ScimUserEntity.BY_EXTERNAL_ID,
            query = "SELECT s FROM RbScimUser s WHERE s.externalId = :externalId ORDER BY s.createdAt, s.id"),
    @NamedQuery(name = ScimUserEntity.BY_USER, query = "SELECT s FROM RbScimUser s WHERE s.userId = :user"),
    // the users awaiting their first login that a login presenting one of these keys claims (of any issuer: the
    // caller keeps its issuer's). By the indexed key alone: joined with RB_USER on the issuer, PostgreSQL's
    // cached plan walked every user of the issuer at each first login.
    @NamedQuery(
            name = ScimUserEntity.AWAITING,
            query = "SELECT s FROM RbScimUser s WHERE s.awaitsLogin = TRUE AND s.loginKey IN :keys",
            // locked, by the hint that keeps the named query prepared (as UserEntity.BY_ACCOUNT_FOR_UPDATE)
            hints = @QueryHint(name = QueryHints.PESSIMISTIC_LOCK, value = PessimisticLock.Lock)),
    // a first login gives the placeholder row its real subject (the entity's subject is not updatable)
    @NamedQuery(name = ScimUserEntity.SET_SUBJECT, query = "UPDATE RbUser u SET u.subject = :subject WHERE u.id = :id"),
    @NamedQuery(
            name = ScimUserEntity.USERS_BY_NAME,
            query = "SELECT u FROM RbUser u WHERE u.issuer = :issuer AND u.usernameKey = :key"),
    @NamedQuery(name = ScimUserEntity.DELETE_MEMBERSHIPS, query = "DELETE FROM RbMembership m WHERE m.userId = :user"),
    @NamedQuery(name = ScimUserEntity.DELETE_USER, query = "DELETE FROM RbUser u WHERE u.id = :user")
})
@Entity(name = "RbScimUser")
@Table(name = "RB_SCIM_USER")
class ScimUserEntity {

    static final String ALL = "RbScimUser.all";
    static final String BY_NAME_KEY = "RbScimUser.byNameKey";
    static final String BY_EXTERNAL_ID = "RbScimUser.byExternalId";
    static final String BY_USER = "RbScimUser.byUser";
    static final String AWAITING = "RbScimUser.awaiting";
    static final String SET_SUBJECT = "RbScimUser.setSubject";
    static final String USERS_BY_NAME = "RbScimUser.usersByName";
    static final String DELETE_MEMBERSHIPS = "RbScimUser.deleteMemberships";
    static final String DELETE_USER = "RbScimUser.deleteUser";

    @Id
    @Column(name = "ID")
    String id;

    @Column(name = "USER_ID", nullable = false, updatable = false)
    Long userId;

    @Column(name = "USER_NAME", nullable = false)
    String userName;

    @Column(name = "USER_NAME_KEY", nullable = false)
    String userNameKey;

    @Column(name = "EXTERNAL_ID")
    String externalId;

    @Column(name = "AWAITS_LOGIN", nullable = false)
    boolean awaitsLogin;

    @Column(name = "LOGIN_KEY")
    String loginKey;

    @Column(name = "RESOURCE", nullable = false)
    String resource;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "CREATED_AT", nullable = false, updatable = false)
    Instant createdAt;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "LAST_MODIFIED", nullable = false)
    Instant lastModified;

    protected ScimUserEntity() {}

    ScimUserEntity(String id, long userId, Instant createdAt) {
        this.id = id;
        this.userId = userId;
        this.createdAt = createdAt;
    }

    ScimUser toRecord() {
        return new ScimUser(id, userId, resource, createdAt, lastModified);
    }
}
