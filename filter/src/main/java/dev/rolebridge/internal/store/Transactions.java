package dev.rolebridge.internal.store;

import dev.rolebridge.RolebridgeException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.persistence.exceptions.EclipseLinkException;

/**
 * How the store talks to its persistence unit: every write in one transaction, retried when it meets a
 * concurrent change (a duplicate key or a deadlock), every read with an entity manager of its own, and
 * failures turned into exceptions whose message says what could not be done and why, without the SQL and
 * bound values EclipseLink's messages carry. Also the store's clock.
 */
final class Transactions {

    /** How often a transaction is tried when it fails on a duplicate key or a deadlock. */
    static final int MAX_ATTEMPTS = 3;

    private final EntityManagerFactory entityManagers;
    private final Clock clock;

    Transactions(EntityManagerFactory entityManagers, Clock clock) {
        this.entityManagers = Objects.requireNonNull(entityManagers, "entityManagers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Now, to the microsecond the tables keep. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Runs {@code work} with an entity manager of its own, outside any transaction. */
    <T> T read(Function<EntityManager, T> work) {
        EntityManager em = entityManagers.createEntityManager();
        try {
            return work.apply(em);
        } catch (RolebridgeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MembershipStoreException("Cannot read the membership store: " + describe(e), e);
        } finally {
            em.close();
        }
    }

    /**
     * Runs {@code work} in a transaction, retried on a duplicate key or a deadlock, at most
     * {@value #MAX_ATTEMPTS} times in all; any failure rolls it back. Rolebridge's own exceptions pass
     * unchanged; others become {@code failure}, whose message says what could not be done and why.
     *
     * @param what what the work does, completing "Could not ..."
     */
    <T> T transaction(
            String what,
            BiFunction<String, Throwable, ? extends RuntimeException> failure,
            Function<EntityManager, T> work) {
        for (int attempt = 1; ; attempt++) {
            EntityManager em = entityManagers.createEntityManager();
            EntityTransaction transaction = em.getTransaction();
            try {
                transaction.begin();
                T result = work.apply(em);
                transaction.commit();
                return result;
            } catch (RuntimeException e) {
                rollback(transaction, e);
                if (e instanceof RolebridgeException rolebridge) {
                    throw rolebridge;
                }
                if (attempt == 1 && isConnectionLost(e)) {
                    // the pool lent a connection the database had dropped (a restart); the pool evicts it
                    MembershipStore.LOG.debug(
                            "The connection to {} was lost ({}); trying once more", what, describe(e));
                    continue;
                }
                boolean retryable = isRetryable(e);
                if (retryable && attempt < MAX_ATTEMPTS) {
                    MembershipStore.LOG.debug(
                            "Attempt {} to {} met a concurrent change ({}); trying again", attempt, what, describe(e));
                    continue;
                }
                throw failure.apply(
                        "Could not " + what + (retryable ? " in " + attempt + " attempts" : "") + ": " + describe(e)
                                + ". Nothing of it was stored.",
                        e);
            } finally {
                em.close();
            }
        }
    }

    private static void rollback(EntityTransaction transaction, RuntimeException cause) {
        try {
            if (transaction.isActive()) {
                transaction.rollback();
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e); // the connection may be gone; the database rolls back on its own then
        }
    }

    /**
     * Whether a failure is worth another try: a unique key taken by a concurrent transaction (SQLState 23505
     * on PostgreSQL and H2, 23000 with error 1062 on MariaDB) or a deadlock or serialization failure
     * (40001, PostgreSQL's 40P01). Read from the SQLExceptions in the cause chain, whatever wraps them.
     */
    static boolean isRetryable(Throwable failure) {
        for (SQLException e : sqlExceptions(failure)) {
            String state = e.getSQLState();
            if ("23505".equals(state)
                    || ("23000".equals(state) && e.getErrorCode() == 1062)
                    || "40001".equals(state)
                    || "40P01".equals(state)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the connection in use was lost: the database ended it (PostgreSQL's 57P01 to 57P03, a restart
     * or an administrator) or the link broke (08003, 08006, 08000, MariaDB's 08S01). Connecting afresh, which
     * fails with 08001 while the database is away, is not a lost connection.
     */
    static boolean isConnectionLost(Throwable failure) {
        for (SQLException e : sqlExceptions(failure)) {
            String state = e.getSQLState();
            if (state != null
                    && Set.of("57P01", "57P02", "57P03", "08003", "08006", "08000", "08S01")
                            .contains(state)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The message of the SQLException furthest down the chain of causes (the driver's own, beneath a pool's
     * wrapper), with its SQLState.
     */
    static String rootSqlMessage(SQLException e) {
        SQLException root = e;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                root = sql;
            }
        }
        return sqlMessage(root);
    }

    /**
     * Every SQLException in the chain of causes and of {@link SQLException#getNextException()}, nearest
     * first.
     */
    private static List<SQLException> sqlExceptions(Throwable failure) {
        List<SQLException> found = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> pending = new ArrayDeque<>(List.of(failure));
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException sql) {
                found.add(sql);
                Optional.ofNullable(sql.getNextException()).ifPresent(pending::add);
            }
            if (t instanceof EclipseLinkException eclipseLink && eclipseLink.getInternalException() != null) {
                pending.add(eclipseLink.getInternalException());
            }
            Optional.ofNullable(t.getCause()).ifPresent(pending::add);
        }
        return found;
    }

    /**
     * A short reason: the database's own message and SQLState (from the nearest SQLException that is not a
     * batch wrapper), without the SQL and bound values that EclipseLink's messages carry.
     */
    static String describe(Throwable failure) {
        List<SQLException> sql = sqlExceptions(failure);
        if (!sql.isEmpty()) {
            return sqlMessage(sql.stream()
                    .filter(e -> !(e instanceof BatchUpdateException))
                    .findFirst()
                    .orElse(sql.get(0)));
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    static String sqlMessage(SQLException e) {
        String message = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName())
                .strip();
        return message + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")");
    }
}
