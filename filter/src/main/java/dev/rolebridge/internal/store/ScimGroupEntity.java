package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A row of {@code RB_SCIM_GROUP}: a group a SCIM client pushed, with its SCIM representation (without its
 * members, which are {@link ScimGroupMemberEntity} rows). Times are kept in UTC microseconds ({@link UtcMicros}).
 */
@NamedQueries({
    @NamedQuery(name = ScimGroupEntity.ALL, query = "SELECT g FROM RbScimGroup g ORDER BY g.createdAt, g.id"),
    @NamedQuery(
            name = ScimGroupEntity.BY_NAME_KEY,
            query = "SELECT g FROM RbScimGroup g WHERE g.displayNameKey = :key ORDER BY g.createdAt, g.id"),
    @NamedQuery(
            name = ScimGroupEntity.BY_EXTERNAL_ID,
            query = "SELECT g FROM RbScimGroup g WHERE g.externalId = :externalId ORDER BY g.createdAt, g.id"),
    @NamedQuery(
            name = ScimGroupEntity.BY_IDS,
            query = "SELECT g FROM RbScimGroup g WHERE g.id IN :ids ORDER BY g.createdAt, g.id"),
    // the display names of the pushed groups a user (RB_USER id) is a member of, in name order
    @NamedQuery(
            name = ScimGroupEntity.NAMES_OF_USER,
            query = "SELECT g.displayName FROM RbScimGroup g, RbScimGroupMember m, RbScimUser s"
                    + " WHERE m.groupId = g.id AND s.id = m.scimUserId AND s.userId = :user"
                    + " ORDER BY g.displayNameKey")
})
@Entity(name = "RbScimGroup")
@Table(name = "RB_SCIM_GROUP")
class ScimGroupEntity {

    static final String ALL = "RbScimGroup.all";
    static final String BY_NAME_KEY = "RbScimGroup.byNameKey";
    static final String BY_EXTERNAL_ID = "RbScimGroup.byExternalId";
    static final String BY_IDS = "RbScimGroup.byIds";
    static final String NAMES_OF_USER = "RbScimGroup.namesOfUser";

    @Id
    @Column(name = "ID")
    String id;

    @Column(name = "DISPLAY_NAME", nullable = false)
    String displayName;

    @Column(name = "DISPLAY_NAME_KEY", nullable = false)
    String displayNameKey;

    @Column(name = "EXTERNAL_ID")
    String externalId;

    @Column(name = "RESOURCE", nullable = false)
    String resource;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "CREATED_AT", nullable = false, updatable = false)
    Instant createdAt;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "LAST_MODIFIED", nullable = false)
    Instant lastModified;

    protected ScimGroupEntity() {}

    ScimGroupEntity(String id, Instant createdAt) {
        this.id = id;
        this.createdAt = createdAt;
    }
}
