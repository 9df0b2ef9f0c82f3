package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A row of {@code RB_SCIM_GROUP_MEMBER}: a SCIM user is a member of a pushed group. The two columns are the key. */
@NamedQueries({
    // the members of some groups as (group id, SCIM user id, userName) rows, in userName order
    @NamedQuery(
            name = ScimGroupMemberEntity.OF_GROUPS,
            query = "SELECT m.groupId, s.id, s.userName FROM RbScimGroupMember m, RbScimUser s"
                    + " WHERE s.id = m.scimUserId AND m.groupId IN :groups ORDER BY s.userNameKey"),
    // the users (RB_USER ids) of a group's members
    @NamedQuery(
            name = ScimGroupMemberEntity.USERS_OF_GROUP,
            query = "SELECT s.userId FROM RbScimGroupMember m, RbScimUser s"
                    + " WHERE s.id = m.scimUserId AND m.groupId = :group"),
    @NamedQuery(
            name = ScimGroupMemberEntity.DELETE_OF_GROUP,
            query = "DELETE FROM RbScimGroupMember m WHERE m.groupId = :group"),
    @NamedQuery(
            name = ScimGroupMemberEntity.DELETE_OF_USER,
            query = "DELETE FROM RbScimGroupMember m WHERE m.scimUserId = :scimUser"),
    @NamedQuery(
            name = ScimGroupMemberEntity.DELETE_SOME,
            query = "DELETE FROM RbScimGroupMember m WHERE m.groupId = :group AND m.scimUserId IN :scimUsers")
})
@Entity(name = "RbScimGroupMember")
@Table(name = "RB_SCIM_GROUP_MEMBER")
@IdClass(ScimGroupMemberEntity.Key.class)
class ScimGroupMemberEntity {

    static final String OF_GROUPS = "RbScimGroupMember.ofGroups";
    static final String USERS_OF_GROUP = "RbScimGroupMember.usersOfGroup";
    static final String DELETE_OF_GROUP = "RbScimGroupMember.deleteOfGroup";
    static final String DELETE_OF_USER = "RbScimGroupMember.deleteOfUser";
    static final String DELETE_SOME = "RbScimGroupMember.deleteSome";

    @Id
    @Column(name = "GROUP_ID")
    String groupId;

    @Id
    @Column(name = "SCIM_USER_ID")
    String scimUserId;

    protected ScimGroupMemberEntity() {}

    ScimGroupMemberEntity(String groupId, String scimUserId) {
        this.groupId = groupId;
        this.scimUserId = scimUserId;
    }

    /** The primary key. */
    public static final class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        String groupId;
        String scimUserId;

        public Key() {}

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && Objects.equals(groupId, key.groupId)
                    && Objects.equals(scimUserId, key.scimUserId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(groupId, scimUserId);
        }
    }
}
