package dev.rolebridge.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** A row of {@code RB_LOGOUT_EVENT}: one accepted back-channel logout token. The time is UTC. */
@Entity(name = "RbLogoutEvent")
@Table(name = "RB_LOGOUT_EVENT")
class LogoutEventEntity {

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

    @Column(name = "LOGGED_OUT_AT", nullable = false, updatable = false)
    LocalDateTime loggedOutAt;

    protected LogoutEventEntity() {
    }

    LogoutEventEntity(String issuer, String subject, String sid, String jti, LocalDateTime loggedOutAt) {
        this.issuer = issuer;
        this.subject = subject;
        this.sid = sid;
        this.jti = jti;
        this.loggedOutAt = loggedOutAt;
    }
}
