package dev.rolebridge.internal.store;

import static dev.rolebridge.internal.store.MembershipStore.MAX_ISSUER_LENGTH;
import static dev.rolebridge.internal.store.MembershipStore.MAX_LOGOUT_CLAIM_LENGTH;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The back-channel logouts the nodes share through {@code RB_LOGOUT_EVENT}: {@link MembershipStore#recordLogout},
 * {@link MembershipStore#logoutsSince}, {@link MembershipStore#logoutsAfter} and
 * {@link MembershipStore#deleteLogoutsBefore}, documented there.
 */
final class LogoutEvents {

    private final Transactions transactions;

    LogoutEvents(Transactions transactions) {
        this.transactions = transactions;
    }

    boolean record(String issuer, String subject, String sid, String jti, Instant at) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(at, "at");
        if (subject == null && sid == null) {
            throw new MembershipStoreException("A back-channel logout names a subject (sub), a session (sid) or both;"
                    + " this one, from issuer '" + issuer + "', names neither");
        }
        checkClaim("iss", issuer, MAX_ISSUER_LENGTH);
        checkClaim("sub", subject, MAX_LOGOUT_CLAIM_LENGTH);
        checkClaim("sid", sid, MAX_LOGOUT_CLAIM_LENGTH);
        checkClaim("jti", jti, MAX_LOGOUT_CLAIM_LENGTH);
        boolean recorded = transactions.transaction(
                "record a back-channel logout from issuer '" + issuer + "'", MembershipStoreException::new, em -> {
                    if (!em.createNamedQuery(LogoutEventEntity.ID_BY_TOKEN, Long.class)
                            .setParameter("issuer", issuer)
                            .setParameter("jti", jti)
                            .getResultList()
                            .isEmpty()) {
                        return false;
                    }
                    // A node that records the same token meanwhile makes the commit fail on RB_LOGOUT_EVENT_TOKEN_UK;
                    // the transaction is retried, and the query above then finds that node's row.
                    em.persist(new LogoutEventEntity(issuer, subject, sid, jti, at));
                    return true;
                });
        if (!recorded) {
            MembershipStore.LOG.debug(
                    "A back-channel logout token from issuer '{}' was recorded before: a replay", issuer);
        }
        return recorded;
    }

    List<LogoutEvent> since(Instant since, int limit) {
        Objects.requireNonNull(since, "since");
        checkLimit(limit);
        return transactions.read(em -> em
                .createNamedQuery(LogoutEventEntity.SINCE, LogoutEventEntity.class)
                .setParameter("since", since)
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(LogoutEvents::event)
                .toList());
    }

    List<RecordedLogout> after(long afterId, int limit) {
        checkLimit(limit);
        return transactions.read(em -> em
                .createNamedQuery(LogoutEventEntity.AFTER, LogoutEventEntity.class)
                .setParameter("after", afterId)
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(e -> new RecordedLogout(e.id, event(e)))
                .toList());
    }

    int deleteBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        int deleted = transactions.transaction(
                "delete the back-channel logouts before " + before,
                MembershipStoreException::new,
                em -> em.createNamedQuery(LogoutEventEntity.DELETE_BEFORE)
                        .setParameter("before", before)
                        .executeUpdate());
        MembershipStore.LOG.debug("Deleted {} back-channel logouts recorded before {}", deleted, before);
        return deleted;
    }

    private static LogoutEvent event(LogoutEventEntity e) {
        return new LogoutEvent(e.issuer, e.subject, e.sid, e.loggedOutAt);
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit is " + limit + "; expected 1 or more");
        }
    }

    private static void checkClaim(String claim, String value, int maxLength) {
        if (value != null && (value.isEmpty() || value.length() > maxLength)) {
            throw new MembershipStoreException("The " + claim + " of a back-channel logout token is 1 to " + maxLength
                    + " characters; this one has " + value.length());
        }
    }
}
