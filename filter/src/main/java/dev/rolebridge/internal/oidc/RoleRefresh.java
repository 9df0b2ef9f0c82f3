package dev.rolebridge.internal.oidc;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.internal.Throttle;
import dev.rolebridge.internal.mapping.MappingConfig;
import dev.rolebridge.internal.sync.DefaultSyncHook.Standing;
import dev.rolebridge.sync.SyncResult;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fresh roles in live sessions ({@code roleRefreshSeconds}): a signed-in session keeps, in one session attribute,
 * the principal it answers with, the store's membership version that principal was built from, and when to look
 * again (every sign-in has this state, also with refreshing off, when it is never due). A request before that
 * time costs one attribute read and one comparison; at most once per interval one
 * query compares the versions, and only a changed version reads the groups again and recomputes the roles exactly
 * as a login does. A user the store marks inactive is signed out: the session ends and the next login is refused.
 *
 * <p>With a custom {@code syncHook}, the session keeps the roles the hook gave it at login (the store cannot
 * recompute what a hook added); the active flag is still checked. With an interval of 0 nothing is read after
 * login. When the store cannot be read, the session keeps its roles and looks again an interval later.
 */
final class RoleRefresh {

    /** The session attribute holding the session's {@link Fresh} state. */
    static final String ATTRIBUTE = "dev.rolebridge.freshRoles";

    /** The request attribute through which a sign-in hands the membership version it was built from to the session. */
    static final String VERSION_ATTRIBUTE = "dev.rolebridge.membershipVersion";

    /** The version of a session whose sign-in did not say which version it was built from: any version differs. */
    static final long UNKNOWN_VERSION = -1;

    /** The {@link Fresh#checkAfter()} of a session that never looks at the store (refreshing off). */
    private static final long NEVER = Long.MAX_VALUE;

    private static final Logger LOG = dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(RoleRefresh.class));

    /** What the store holds for a signed-in user; the built-in hook's {@code standing}. */
    @FunctionalInterface
    interface Store {
        /**
         * The user's version and active flag and, when the version is not {@code knownVersion} and {@code reload},
         * the groups and roles read from the store; empty when the store does not know the user.
         */
        Optional<Standing> look(String issuer, String subject, long knownVersion, boolean reload);
    }

    /**
     * A session's state, replaced whole (its serialized fields never change in place), so that concurrent
     * requests and session replication see one consistent value. Besides it, not serialized, it remembers the
     * registry of the node that found the session registered
     * ({@link SessionRegistry#contains(HttpSession, Fresh)}): a session restored or replicated from elsewhere has
     * none and is looked up, and adopted, again.
     */
    static final class Fresh implements Serializable {

        private static final long serialVersionUID = 1L;

        private final RolebridgePrincipal principal;
        private final long version;
        private final long checkAfter;
        /** A cache of a registry look-up that stays true for this state's life; a racy write only repeats it. */
        private transient SessionRegistry registeredIn;

        /**
         * @param principal the principal the session answers with
         * @param version the store's membership version {@code principal} was built from
         * @param checkAfter when to look at the store again (epoch ms)
         */
        Fresh(RolebridgePrincipal principal, long version, long checkAfter) {
            this.principal = Objects.requireNonNull(principal, "principal");
            this.version = version;
            this.checkAfter = checkAfter;
        }

        RolebridgePrincipal principal() {
            return principal;
        }

        long version() {
            return version;
        }

        long checkAfter() {
            return checkAfter;
        }

        boolean isRegisteredIn(SessionRegistry registry) {
            return registeredIn == registry;
        }

        void rememberRegisteredIn(SessionRegistry registry) {
            registeredIn = registry;
        }
    }

    private final Store store;
    private final MappingConfig mapping;
    private final boolean rolesFollowStore;
    private final long intervalMillis;
    private final Clock clock;
    private final Throttle failureLog;

    /**
     * @param rolesFollowStore whether roles are recomputed from the store (the built-in hook), or only the active
     *     flag is checked (a custom hook)
     * @param interval how often, at most, a session looks at the store; zero: never
     */
    RoleRefresh(Store store, MappingConfig mapping, boolean rolesFollowStore, Duration interval, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.rolesFollowStore = rolesFollowStore;
        this.intervalMillis = interval.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.failureLog = new Throttle(Duration.ofMinutes(1), clock);
    }

    /** Whether sessions look at the store at all. */
    boolean enabled() {
        return intervalMillis > 0;
    }

    /**
     * Starts the state of a session a login just completed in, built from the store's {@code version}. Every
     * sign-in has one, also with refreshing off (then it is never due): the fast path reads only this.
     */
    void signedIn(HttpSession session, RolebridgePrincipal principal, long version) {
        if (session != null && principal != null) {
            session.setAttribute(ATTRIBUTE, new Fresh(principal, version, nextCheck(clock.millis())));
        }
    }

    private long nextCheck(long now) {
        return enabled() ? now + intervalMillis : NEVER;
    }

    /**
     * The fast path's one read: the state of a session that need not look at the store yet at {@code now} (epoch
     * ms, the caller's one clock read), else {@code null} (no state, or time to look).
     */
    Fresh upToDate(HttpSession session, long now) {
        return session.getAttribute(ATTRIBUTE) instanceof Fresh fresh && now < fresh.checkAfter() ? fresh : null;
    }

    /**
     * The principal the session answers with: the refreshed one, else {@code signedIn}, the one its login made;
     * a session without state (signed in before it was kept, with refreshing off) is given one, so that its
     * next request takes the fast path.
     */
    RolebridgePrincipal current(HttpSession session, RolebridgePrincipal signedIn) {
        if (session.getAttribute(ATTRIBUTE) instanceof Fresh fresh) {
            return fresh.principal();
        }
        session.setAttribute(ATTRIBUTE, new Fresh(signedIn, UNKNOWN_VERSION, nextCheck(clock.millis())));
        return signedIn;
    }

    /** Makes the session look at the store at its next request (this node changed its user). */
    static void due(HttpSession session) {
        try {
            if (session.getAttribute(ATTRIBUTE) instanceof Fresh fresh && fresh.checkAfter() != NEVER) {
                session.setAttribute(ATTRIBUTE, new Fresh(fresh.principal(), fresh.version(), 0));
            }
        } catch (IllegalStateException ended) {
            // ended meanwhile
        }
    }

    /**
     * Looks at the store for a signed-in session, at most once per interval, and updates its roles when the
     * store's version changed. Before the time to look, one attribute read and one comparison, nothing else.
     *
     * @return false when the user was deactivated: the session is ended
     */
    boolean refresh(HttpSession session) {
        if (intervalMillis <= 0) {
            return true;
        }
        Object state = session.getAttribute(ATTRIBUTE);
        long now = clock.millis();
        if (state instanceof Fresh fresh && now < fresh.checkAfter()) {
            return true;
        }
        Fresh fresh = state instanceof Fresh f ? f : adopted(session);
        if (fresh == null) {
            return true; // not Rolebridge's sign-in: the security logic starts a fresh login
        }
        RolebridgePrincipal who = fresh.principal();
        Fresh next;
        try {
            Optional<Standing> found = store.look(who.issuer(), who.subject(), fresh.version(), rolesFollowStore);
            if (found.isPresent() && !found.get().active()) {
                LOG.info("signed out {} (subject {}): the user is deactivated", who.getName(), who.subject());
                session.invalidate();
                return false;
            }
            next = found.map(standing -> next(fresh, standing, now)).orElse(null);
        } catch (RuntimeException e) {
            if (failureLog.tryAcquire()) {
                LOG.warn(
                        "could not refresh the roles of signed-in sessions ({}); they keep their roles and try again"
                                + " in {} s",
                        e.getMessage(),
                        intervalMillis / 1000);
            }
            next = null;
        }
        try {
            session.setAttribute(
                    ATTRIBUTE, next != null ? next : new Fresh(who, fresh.version(), now + intervalMillis));
        } catch (IllegalStateException ended) {
            return false; // ended meanwhile (a logout)
        }
        return true;
    }

    /** The state after a look at the store: the same principal, or one with the groups and roles read. */
    private Fresh next(Fresh fresh, Standing standing, long now) {
        SyncResult read = standing.roles();
        RolebridgePrincipal who = fresh.principal();
        if (read == null) {
            return new Fresh(who, rolesFollowStore ? standing.version() : fresh.version(), now + intervalMillis);
        }
        Set<String> roles = mapping.requestRoles(read.roles(), read.groups());
        RolebridgePrincipal refreshed = new RolebridgePrincipal(
                who.getName(), who.issuer(), who.subject(), read.groups(), roles, read.primaryRole());
        if (!refreshed.equals(who)) {
            LOG.info(
                    "roles of {} (subject {}) refreshed from the membership store: {} group(s), roles {}",
                    who.getName(),
                    who.subject(),
                    read.groups().size(),
                    read.roles());
        }
        return new Fresh(refreshed, standing.version(), now + intervalMillis);
    }

    /** The state of a signed-in session that has none (restored, replicated, or signed in before): look now. */
    private static Fresh adopted(HttpSession session) {
        RolebridgePrincipal who = SessionRegistry.principal(session);
        return who == null ? null : new Fresh(who, UNKNOWN_VERSION, 0);
    }
}
