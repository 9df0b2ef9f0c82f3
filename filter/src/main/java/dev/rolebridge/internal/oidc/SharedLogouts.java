package dev.rolebridge.internal.oidc;

import java.time.Instant;
import java.util.List;

/**
 * Back-channel logouts shared by every node of the application: the node that receives a logout token
 * records it, and each node picks up the logouts recorded since it last looked and ends its own sessions.
 * Implemented on the membership database; this package only sees this interface.
 */
public interface SharedLogouts {

    /** One recorded logout. */
    record Event(String issuer, String subject, String sid, Instant at) {}

    /**
     * Records a validated logout token.
     *
     * @return false when a token with this {@code jti} was recorded before, by any node: a replay
     */
    boolean record(String issuer, String subject, String sid, String jti, Instant at);

    /** A recorded logout with the id the database gave it; ids follow the database's order. */
    record Numbered(long id, Event event) {}

    /** The logouts recorded strictly after {@code since}, oldest first, at most {@code limit}. */
    List<Event> since(Instant since, int limit);

    /** The logouts whose id is greater than {@code id}, in id order, at most {@code limit}. */
    List<Numbered> after(long id, int limit);
}
