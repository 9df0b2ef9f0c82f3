package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code RB_SCIM_TOKEN}: a SCIM bearer token created on the administration page, kept as its digest. */
@NamedQueries({
    @NamedQuery(name = ScimTokenEntity.ALL, query = "SELECT t FROM RbScimToken t ORDER BY t.createdAt, t.id"),
    @NamedQuery(
            name = ScimTokenEntity.VALID,
            query = "SELECT COUNT(t) FROM RbScimToken t WHERE t.digest = :digest AND t.revokedAt IS NULL")
})
@Entity(name = "RbScimToken")
@Table(name = "RB_SCIM_TOKEN")
class ScimTokenEntity {

    static final String ALL = "RbScimToken.all";
    static final String VALID = "RbScimToken.valid";

    @Id
    @Column(name = "ID")
    String id;

    @Column(name = "NAME", nullable = false)
    String name;

    @Column(name = "TOKEN_DIGEST", nullable = false, updatable = false)
    String digest;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "CREATED_AT", nullable = false, updatable = false)
    Instant createdAt;

    @Column(name = "CREATED_BY")
    String createdBy;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "REVOKED_AT")
    Instant revokedAt;

    protected ScimTokenEntity() {}

    ScimToken toRecord() {
        return new ScimToken(id, name, createdAt, createdBy, revokedAt);
    }
}
