package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A row of {@code RB_ROLE}: a role and its rank, 0 being the highest; unranked roles have no rank. */
@NamedQueries({
    @NamedQuery(name = RoleEntity.ALL, query = "SELECT r FROM RbRole r"),
    // (name, id) rows
    @NamedQuery(name = RoleEntity.IDS_BY_NAME, query = "SELECT r.name, r.id FROM RbRole r WHERE r.name IN :names")
})
@Entity(name = "RbRole")
@Table(name = "RB_ROLE")
class RoleEntity {

    static final String ALL = "RbRole.all";

    static final String IDS_BY_NAME = "RbRole.idsByName";

    @Id
    @SequenceGenerator(name = "RB_ROLE", sequenceName = "RB_ROLE_SEQ", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "RB_ROLE")
    @Column(name = "ID")
    Long id;

    @Column(name = "NAME", nullable = false, updatable = false)
    String name;

    @Column(name = "ROLE_RANK")
    Integer rank;

    @Enumerated(EnumType.STRING)
    @Column(name = "ORIGIN", nullable = false)
    Origin origin;

    protected RoleEntity() {}

    RoleEntity(String name, Integer rank, Origin origin) {
        this.name = name;
        this.rank = rank;
        this.origin = origin;
    }

    /** The ids of the roles of these names that exist, by name. */
    static Map<String, Long> ids(EntityManager em, Collection<String> names) {
        Map<String, Long> ids = new HashMap<>();
        if (names.isEmpty()) {
            return ids; // "IN ()" is no SQL on PostgreSQL and MariaDB
        }
        em.createNamedQuery(IDS_BY_NAME, Object[].class)
                .setParameter("names", List.copyOf(new LinkedHashSet<>(names)))
                .getResultList()
                .forEach(row -> ids.put((String) row[0], (Long) row[1]));
        return ids;
    }
}
