package dev.rolebridge.internal.store;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code RB_AUDIT_EVENT}; lists are encoded by {@link AuditEvent#encode}. */
@NamedQueries({
    @NamedQuery(
            name = AuditEventEntity.OF_ACCOUNT,
            query = "SELECT e FROM RbAuditEvent e WHERE e.userId IN"
                    + " (SELECT u.id FROM RbUser u WHERE u.issuer = :issuer AND u.subject = :subject)"
                    + " ORDER BY e.time, e.id"),
    // the events that added groups to a user, newest first
    @NamedQuery(
            name = AuditEventEntity.ADDING_OF_USER,
            query = "SELECT e FROM RbAuditEvent e WHERE e.userId = :user AND LENGTH(e.added) > 0"
                    + " ORDER BY e.time DESC, e.id DESC")
})
@Entity(name = "RbAuditEvent")
@Table(name = "RB_AUDIT_EVENT")
class AuditEventEntity {

    static final String OF_ACCOUNT = "RbAuditEvent.ofAccount";

    static final String ADDING_OF_USER = "RbAuditEvent.addingOfUser";

    @Id
    @SequenceGenerator(name = "RB_AUDIT_EVENT", sequenceName = "RB_AUDIT_EVENT_SEQ", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "RB_AUDIT_EVENT")
    @Column(name = "ID")
    Long id;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "EVENT_TIME", nullable = false)
    Instant time;

    @Column(name = "ACTOR", nullable = false)
    String actor;

    @Column(name = "USER_ID")
    Long userId;

    @Column(name = "ISSUER", nullable = false)
    String issuer;

    @Column(name = "SUBJECT", nullable = false)
    String subject;

    @Column(name = "ADDED_GROUPS", nullable = false)
    String added;

    @Column(name = "REMOVED_GROUPS", nullable = false)
    String removed;

    @Column(name = "CREATED_GROUPS", nullable = false)
    String created;

    @Column(name = "ROLE_BEFORE")
    String roleBefore;

    @Column(name = "ROLE_AFTER")
    String roleAfter;

    @Column(name = "RULES_FIRED", nullable = false)
    String rulesFired;

    /** The active flag the change set, or {@code null} when it left the flag alone. */
    @Column(name = "ACTIVE_AFTER")
    Boolean activeAfter;

    /** Who, by name, made an administrator's change, or {@code null}. */
    @Column(name = "ACTED_BY")
    String actedBy;

    protected AuditEventEntity() {}

    /** The event as callers see it, its lists decoded. */
    AuditEvent toEvent() {
        return new AuditEvent(
                time,
                actor,
                issuer,
                subject,
                AuditEvent.decode(added),
                AuditEvent.decode(removed),
                AuditEvent.decode(created),
                roleBefore,
                roleAfter,
                AuditEvent.decode(rulesFired),
                activeAfter,
                actedBy);
    }
}
