package dev.rolebridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code RB_GROUP_ROLE}: the role an application group grants; at most one per group. */
@Entity(name = "RbGroupRole")
@Table(name = "RB_GROUP_ROLE")
class GroupRoleEntity {

    @Id
    @Column(name = "GROUP_ID")
    Long groupId;

    @Column(name = "ROLE_ID", nullable = false)
    Long roleId;

    @Enumerated(EnumType.STRING)
    @Column(name = "ORIGIN", nullable = false)
    Origin origin;

    protected GroupRoleEntity() {
    }

    GroupRoleEntity(long groupId, long roleId, Origin origin) {
        this.groupId = groupId;
        this.roleId = roleId;
        this.origin = origin;
    }
}
