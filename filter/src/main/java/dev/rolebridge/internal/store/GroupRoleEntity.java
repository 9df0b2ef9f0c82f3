package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A row of {@code RB_GROUP_ROLE}: an application group grants a role; a group may grant several. */
@NamedQueries({
    @NamedQuery(name = GroupRoleEntity.OF_GROUP, query = "SELECT gr FROM RbGroupRole gr WHERE gr.groupId = :group"),
    @NamedQuery(name = GroupRoleEntity.OF_GROUPS, query = "SELECT gr FROM RbGroupRole gr WHERE gr.groupId IN :groups")
})
@Entity(name = "RbGroupRole")
@Table(name = "RB_GROUP_ROLE")
@IdClass(GroupRoleEntity.Key.class)
class GroupRoleEntity {

    static final String OF_GROUP = "RbGroupRole.ofGroup";

    static final String OF_GROUPS = "RbGroupRole.ofGroups";

    @Id
    @Column(name = "GROUP_ID")
    Long groupId;

    @Id
    @Column(name = "ROLE_ID")
    Long roleId;

    @Enumerated(EnumType.STRING)
    @Column(name = "ORIGIN", nullable = false)
    Origin origin;

    protected GroupRoleEntity() {}

    GroupRoleEntity(long groupId, long roleId, Origin origin) {
        this.groupId = groupId;
        this.roleId = roleId;
        this.origin = origin;
    }

    /** The primary key of a grant. */
    public static final class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        Long groupId;
        Long roleId;

        public Key() {}

        Key(long groupId, long roleId) {
            this.groupId = groupId;
            this.roleId = roleId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(groupId, k.groupId) && Objects.equals(roleId, k.roleId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(groupId, roleId);
        }
    }
}
