package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A row of {@code RB_UNMAPPED_GROUP}: a name of the groups claim that one user's logins carried and that
 * mapped to nothing, keyed by the SHA-256 of the name and the user. Times are kept in UTC microseconds
 * ({@link UtcMicros}).
 */
@NamedQueries({
    // the rows a login carries again, of its user
    @NamedQuery(
            name = UnmappedGroupEntity.HASHES_OF_USER,
            query = "SELECT u.nameHash FROM RbUnmappedGroup u WHERE u.userId = :user AND u.nameHash IN :hashes"),
    @NamedQuery(
            name = UnmappedGroupEntity.TOUCH,
            query = "UPDATE RbUnmappedGroup u SET u.lastSeen = :now"
                    + " WHERE u.userId = :user AND u.nameHash IN :hashes"),
    // one row per name: how many users carried it since a time, and when last
    @NamedQuery(
            name = UnmappedGroupEntity.SUMMARY_SINCE,
            query = "SELECT u.name, COUNT(u.userId) AS users, MAX(u.lastSeen) FROM RbUnmappedGroup u"
                    + " WHERE u.lastSeen >= :since GROUP BY u.name ORDER BY users DESC, u.name"),
    @NamedQuery(
            name = UnmappedGroupEntity.DELETE_BEFORE,
            query = "DELETE FROM RbUnmappedGroup u WHERE u.lastSeen < :before")
})
@Entity(name = "RbUnmappedGroup")
@Table(name = "RB_UNMAPPED_GROUP")
@IdClass(UnmappedGroupEntity.Key.class)
class UnmappedGroupEntity {

    static final String HASHES_OF_USER = "RbUnmappedGroup.hashesOfUser";

    static final String TOUCH = "RbUnmappedGroup.touch";

    static final String SUMMARY_SINCE = "RbUnmappedGroup.summarySince";

    static final String DELETE_BEFORE = "RbUnmappedGroup.deleteBefore";

    @Id
    @Column(name = "NAME_HASH")
    String nameHash;

    @Id
    @Column(name = "USER_ID")
    Long userId;

    @Column(name = "NAME", nullable = false, updatable = false)
    String name;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "FIRST_SEEN", nullable = false, updatable = false)
    Instant firstSeen;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "LAST_SEEN", nullable = false)
    Instant lastSeen;

    protected UnmappedGroupEntity() {}

    UnmappedGroupEntity(String nameHash, long userId, String name, Instant seen) {
        this.nameHash = nameHash;
        this.userId = userId;
        this.name = name;
        this.firstSeen = seen;
        this.lastSeen = seen;
    }

    /** The primary key of a row. */
    public static final class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        String nameHash;
        Long userId;

        public Key() {}

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(nameHash, k.nameHash) && Objects.equals(userId, k.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(nameHash, userId);
        }
    }
}
