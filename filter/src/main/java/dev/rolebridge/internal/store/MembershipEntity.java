package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A row of {@code RB_MEMBERSHIP}: a user is in a group because of one source. The three columns are the
 * primary key, so a membership needs no generated id and a user may hold the same group from two sources.
 */
@NamedQueries({
    // a user's memberships as (group name, source) rows
    @NamedQuery(
            name = MembershipEntity.OF_USER,
            query = "SELECT g.name, m.source FROM RbMembership m, RbGroup g"
                    + " WHERE g.id = m.groupId AND m.userId = :user"),
    // the groups a user is in, from any source, each with every role it grants (a group without grants with a
    // null role), ordered as the login's mapping sees the grants
    @NamedQuery(
            name = MembershipEntity.OF_USER_WITH_ROLES,
            query = "SELECT g.name, r.name FROM RbGroup g"
                    + " LEFT JOIN RbGroupRole gr ON gr.groupId = g.id LEFT JOIN RbRole r ON r.id = gr.roleId"
                    + " WHERE g.id IN (SELECT m.groupId FROM RbMembership m WHERE m.userId = :user)"
                    + " ORDER BY g.id, r.rank, r.name"),
    // a membership of the group, if any, from these sources
    @NamedQuery(
            name = MembershipEntity.SYNCED_OF_GROUP,
            query = "SELECT m.userId FROM RbMembership m, RbGroup g"
                    + " WHERE g.id = m.groupId AND g.name = :name AND m.source IN :sources"),
    // the memberships of several users as (user id, group name, source) rows
    @NamedQuery(
            name = MembershipEntity.OF_USERS,
            query = "SELECT m.userId, g.name, m.source FROM RbMembership m, RbGroup g"
                    + " WHERE g.id = m.groupId AND m.userId IN :users"),
    // a user's memberships as (group name, source, created at) rows
    @NamedQuery(
            name = MembershipEntity.OF_USER_SINCE,
            query = "SELECT g.name, m.source, m.createdAt FROM RbMembership m, RbGroup g"
                    + " WHERE g.id = m.groupId AND m.userId = :user"),
    @NamedQuery(
            name = MembershipEntity.DELETE_OF_SOURCE,
            query = "DELETE FROM RbMembership m"
                    + " WHERE m.userId = :user AND m.source = :source AND m.groupId IN :groups")
})
@Entity(name = "RbMembership")
@Table(name = "RB_MEMBERSHIP")
@IdClass(MembershipEntity.Key.class)
class MembershipEntity {

    static final String OF_USER = "RbMembership.ofUser";

    static final String OF_USER_WITH_ROLES = "RbMembership.ofUserWithRoles";

    static final String DELETE_OF_SOURCE = "RbMembership.deleteOfSource";

    static final String SYNCED_OF_GROUP = "RbMembership.syncedOfGroup";
    static final String OF_USERS = "RbMembership.ofUsers";

    static final String OF_USER_SINCE = "RbMembership.ofUserSince";

    @Id
    @Column(name = "USER_ID")
    Long userId;

    @Id
    @Column(name = "GROUP_ID")
    Long groupId;

    @Id
    @Enumerated(EnumType.STRING)
    @Column(name = "SOURCE")
    MembershipSource source;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "CREATED_AT", nullable = false, updatable = false)
    Instant createdAt;

    protected MembershipEntity() {}

    MembershipEntity(long userId, long groupId, MembershipSource source, Instant createdAt) {
        this.userId = userId;
        this.groupId = groupId;
        this.source = source;
        this.createdAt = createdAt;
    }

    /** The primary key of a membership. */
    public static final class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        Long userId;
        Long groupId;
        MembershipSource source;

        public Key() {}

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && Objects.equals(userId, k.userId)
                    && Objects.equals(groupId, k.groupId)
                    && source == k.source;
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, groupId, source);
        }
    }
}
