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

/**
 * A row of {@code RB_LOGOUT_EVENT}: one accepted back-channel logout token. The time is kept in UTC
 * microseconds ({@link UtcMicros}).
 */
@NamedQueries({
    @NamedQuery(
            name = LogoutEventEntity.ID_BY_TOKEN,
            query = "SELECT e.id FROM RbLogoutEvent e WHERE e.issuer = :issuer AND e.jti = :jti"),
    @NamedQuery(
            name = LogoutEventEntity.SINCE,
            query = "SELECT e FROM RbLogoutEvent e WHERE e.loggedOutAt > :since ORDER BY e.loggedOutAt, e.id"),
    @NamedQuery(
            name = LogoutEventEntity.AFTER,
            query = "SELECT e FROM RbLogoutEvent e WHERE e.id > :after ORDER BY e.id"),
    @NamedQuery(
            name = LogoutEventEntity.DELETE_BEFORE,
            query = "DELETE FROM RbLogoutEvent e WHERE e.loggedOutAt < :before")
})
@Entity(name = "RbLogoutEvent")
@Table(name = "RB_LOGOUT_EVENT")
class LogoutEventEntity {

    static final String ID_BY_TOKEN = "RbLogoutEvent.idByToken";

    static final String SINCE = "RbLogoutEvent.since";

    static final String AFTER = "RbLogoutEvent.after";

    static final String DELETE_BEFORE = "RbLogoutEvent.deleteBefore";

    @Id
    // allocationSize 1: every row takes the database's next value, so ids follow the database's order across
    // nodes (the sequence still steps by 50, as V2 created it) and the nodes read them with an id cursor
    @SequenceGenerator(name = "RB_LOGOUT_EVENT", sequenceName = "RB_LOGOUT_EVENT_SEQ", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "RB_LOGOUT_EVENT")
    @Column(name = "ID")
    Long id;

    @Column(name = "ISSUER", nullable = false, updatable = false)
    String issuer;

    @Column(name = "SUBJECT", updatable = false)
    String subject;

    @Column(name = "SID", updatable = false)
    String sid;

    @Column(name = "JTI", nullable = false, updatable = false)
    String jti;

    @Convert(converter = UtcMicros.AsMicros.class)
    @Column(name = "LOGGED_OUT_AT", nullable = false, updatable = false)
    Instant loggedOutAt;

    protected LogoutEventEntity() {}

    LogoutEventEntity(String issuer, String subject, String sid, String jti, Instant loggedOutAt) {
        this.issuer = issuer;
        this.subject = subject;
        this.sid = sid;
        this.jti = jti;
        this.loggedOutAt = loggedOutAt;
    }
}
