package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/** A row of {@code RB_GROUP}: an application group; its name is unique and stored verbatim. */
@NamedQueries({
    @NamedQuery(name = GroupEntity.BY_NAME, query = "SELECT g FROM RbGroup g WHERE g.name = :name"),
    @NamedQuery(name = GroupEntity.BY_NAMES, query = "SELECT g FROM RbGroup g WHERE g.name IN :names"),
    @NamedQuery(name = GroupEntity.COUNT_BY_ORIGIN, query = "SELECT COUNT(g) FROM RbGroup g WHERE g.origin = :origin"),
    // every group with each role it grants (a group without grants once, with a null role), in id order
    @NamedQuery(
            name = GroupEntity.WITH_ROLES,
            query = "SELECT g.id, g.name, r.name FROM RbGroup g"
                    + " LEFT JOIN RbGroupRole gr ON gr.groupId = g.id LEFT JOIN RbRole r ON r.id = gr.roleId"
                    + " ORDER BY g.id, r.rank, r.name"),
    // the same, each row also with a source :user holds the group from (null: not held); a group held from two
    // sources comes once per role and source. A login's one read of the directory and the user's memberships.
    @NamedQuery(
            name = GroupEntity.WITH_ROLES_AND_MEMBERSHIPS,
            query = "SELECT g.id, g.name, r.name, m.source FROM RbGroup g"
                    + " LEFT JOIN RbGroupRole gr ON gr.groupId = g.id LEFT JOIN RbRole r ON r.id = gr.roleId"
                    + " LEFT JOIN RbMembership m ON m.groupId = g.id AND m.userId = :user"
                    + " ORDER BY g.id, r.rank, r.name")
})
@Entity(name = "RbGroup")
@Table(name = "RB_GROUP")
class GroupEntity {

    static final String BY_NAME = "RbGroup.byName";

    static final String BY_NAMES = "RbGroup.byNames";

    static final String COUNT_BY_ORIGIN = "RbGroup.countByOrigin";

    static final String WITH_ROLES = "RbGroup.withRoles";
    static final String WITH_ROLES_AND_MEMBERSHIPS = "RbGroup.withRolesAndMemberships";

    @Id
    @SequenceGenerator(name = "RB_GROUP", sequenceName = "RB_GROUP_SEQ", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "RB_GROUP")
    @Column(name = "ID")
    Long id;

    @Column(name = "NAME", nullable = false, updatable = false)
    String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "ORIGIN", nullable = false)
    Origin origin;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "CREATED_AT", nullable = false, updatable = false)
    Instant createdAt;

    protected GroupEntity() {}

    GroupEntity(String name, Origin origin, Instant createdAt) {
        this.name = name;
        this.origin = origin;
        this.createdAt = createdAt;
    }

    /** The group of this name, or {@code null}. */
    static GroupEntity find(EntityManager em, String name) {
        List<GroupEntity> found = em.createNamedQuery(BY_NAME, GroupEntity.class)
                .setParameter("name", name)
                .getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /** Refuses a name the table cannot hold: blank, or wider than {@value MembershipStore#MAX_GROUP_NAME_LENGTH}. */
    static <E extends RuntimeException> void checkName(String name, BiFunction<String, Throwable, E> failure) {
        if (name.isBlank() || name.length() > MembershipStore.MAX_GROUP_NAME_LENGTH) {
            throw failure.apply(
                    "App group names are 1 to " + MembershipStore.MAX_GROUP_NAME_LENGTH
                            + " characters and not blank; '" + name.substring(0, Math.min(40, name.length()))
                            + (name.length() > 40 ? "...'" : "'") + " has " + name.length(),
                    null);
        }
    }
}
