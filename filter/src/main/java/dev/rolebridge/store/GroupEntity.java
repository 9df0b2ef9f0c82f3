package dev.rolebridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** A row of {@code RB_GROUP}: an application group; its name is unique and stored verbatim. */
@Entity(name = "RbGroup")
@Table(name = "RB_GROUP")
class GroupEntity {

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

    @Column(name = "CREATED_AT", nullable = false, updatable = false)
    LocalDateTime createdAt;

    protected GroupEntity() {
    }

    GroupEntity(String name, Origin origin, LocalDateTime createdAt) {
        this.name = name;
        this.origin = origin;
        this.createdAt = createdAt;
    }
}
