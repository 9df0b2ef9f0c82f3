package dev.rolebridge.internal.oidc;

import dev.rolebridge.RolebridgePrincipal;
import dev.rolebridge.internal.Throttle;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.oidc.profile.OidcProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signed-in sessions of this node, by the provider's subject and session id ({@code sid}), so that a
 * back-channel logout can end them, whichever node received it. A session is registered once its login
 * completes, under the id it has after the renewal at login; a signed-in session this node did not see being
 * made (restored after a restart, replicated from another node) is adopted at its first request. Each node
 * looks at the logouts the other nodes recorded at most once per poll interval. Ended or expired sessions
 * are dropped as they are found, and purged at most once per {@link #PURGE_INTERVAL}.
 *
 * <p>Sessions are indexed by session id and by subject: what a login or a logout does to a user's sessions
 * costs the number of that user's sessions, never the number of sessions on the node.
 */
final class SessionRegistry {

    /** How often, at most, a registration drops the sessions that ended without a logout (expired ones). */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    /** Ids step by 50 (the sequence's increment): this re-reads the last 20 or so logouts at each look. */
    private static final long LOGOUT_POLL_OVERLAP_IDS = 1000;

    private static final int LOGOUTS_PER_LOOK = 1000;
    private static final Logger LOG =
            dev.rolebridge.internal.Logs.escaping(LoggerFactory.getLogger(SessionRegistry.class));

    /** A registered session under the id it was registered with (an ended session may not tell its id). */
    private record Entry(HttpSession session, String id, String subject, String sid, long loggedInAt) {
        // one entry per registration: two registrations of one session are two entries
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** Who a signed-in session belongs to, at the provider. */
    record SignedIn(String issuer, String subject, String sid) {}

    private final Map<String, Entry> bySessionId = new ConcurrentHashMap<>();
    /** The same entries by subject; a subject's set is changed only inside the map's atomic compute. */
    private final Map<String, Set<Entry>> bySubject = new ConcurrentHashMap<>();

    private final SharedLogouts shared;
    private final Clock clock;
    private final Throttle purge;
    private final Throttle poll;
    /** The highest logout id handled; from 0, a node's first look replays the recorded logouts of the last day. */
    private volatile long logoutsSeenThrough;

    SessionRegistry(SharedLogouts shared, Duration pollInterval, Clock clock) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.purge = new Throttle(PURGE_INTERVAL, clock);
        purge.passed(); // nothing to purge yet
        this.poll = new Throttle(pollInterval, clock);
    }

    /** The principal of the sign-in a session carries, or {@code null}. */
    static RolebridgePrincipal principal(HttpSession session) {
        if (session != null && session.getAttribute(Pac4jConstants.USER_PROFILES) instanceof Map<?, ?> map) {
            for (Object profile : map.values()) {
                RolebridgePrincipal principal = SignInSync.principalOf(profile);
                if (principal != null) {
                    return principal;
                }
            }
        }
        return null;
    }

    /** The ID token of the sign-in a session carries, or {@code null}. */
    static String idToken(HttpSession session) {
        if (session != null && session.getAttribute(Pac4jConstants.USER_PROFILES) instanceof Map<?, ?> map) {
            for (Object profile : map.values()) {
                if (profile instanceof OidcProfile oidcProfile) {
                    return oidcProfile.getIdTokenString();
                }
            }
        }
        return null;
    }

    static Optional<SignedIn> signedIn(HttpSession session) {
        if (session.getAttribute(Pac4jConstants.USER_PROFILES) instanceof Map<?, ?> map) {
            for (Object profile : map.values()) {
                RolebridgePrincipal who = SignInSync.principalOf(profile);
                if (profile instanceof OidcProfile p && who != null) {
                    return Optional.of(new SignedIn(
                            who.issuer(), who.subject(), p.getAttribute("sid") instanceof String sid ? sid : null));
                }
            }
        }
        return Optional.empty();
    }

    /** Registers the session a login just completed in (its id renewed), if it carries Rolebridge's sign-in. */
    void registerSignedIn(HttpSession session) {
        if (session != null) {
            signedIn(session).ifPresent(who -> register(session, who.subject(), who.sid(), clock.millis()));
        }
    }

    /** Registers a session signed in at {@code loggedInAt} (epoch ms). */
    void register(HttpSession session, String subject, String sid, long loggedInAt) {
        Objects.requireNonNull(subject, "subject");
        Entry entry = new Entry(session, session.getId(), subject, sid, loggedInAt);
        Entry replaced = bySessionId.put(entry.id(), entry);
        if (replaced != null) {
            unindex(replaced);
        }
        bySubject.compute(subject, (key, entries) -> {
            Set<Entry> set = entries != null ? entries : ConcurrentHashMap.newKeySet();
            set.add(entry);
            return set;
        });
        if (purge.tryAcquire()) {
            for (Entry e : bySessionId.values()) {
                if (!isValid(e.session())) {
                    remove(e);
                }
            }
        }
    }

    /** Drops an entry from both indexes (only itself: a newer entry under the same session id stays). */
    private void remove(Entry e) {
        if (bySessionId.remove(e.id(), e)) {
            unindex(e);
        }
    }

    private void unindex(Entry e) {
        bySubject.computeIfPresent(e.subject(), (key, entries) -> {
            entries.remove(e);
            return entries.isEmpty() ? null : entries;
        });
    }

    /** How many sessions are registered (ended ones included until they are purged). */
    int size() {
        return bySessionId.size();
    }

    /** Whether this node knows the session (registered at its login here, or adopted since). */
    boolean contains(HttpSession session) {
        return bySessionId.containsKey(session.getId());
    }

    /**
     * {@link #contains(HttpSession)} for a session whose state is {@code state}, remembered in it: a registered
     * session stays registered while it is valid (its entry leaves only when it ends, or for a newer registration
     * under its id), so the fast path looks it up once per state, not at every request.
     */
    boolean contains(HttpSession session, RoleRefresh.Fresh state) {
        if (state.isRegisteredIn(this)) {
            return true;
        }
        if (!contains(session)) {
            return false;
        }
        state.rememberRegisteredIn(this);
        return true;
    }

    /**
     * Adopts a signed-in session this node did not see being made: restored by the container after a restart
     * (Tomcat persists sessions by default) or replicated from another node. It is registered for back-channel
     * logout after one look at the logouts recorded since it was created: one that names its {@code sid} or
     * {@code sub} ends it now.
     *
     * @return false when the session was ended
     */
    boolean adopt(HttpSession session) {
        Optional<SignedIn> who = signedIn(session);
        if (who.isEmpty()) {
            return true; // not Rolebridge's: the security logic starts a fresh login
        }
        long created = session.getCreationTime();
        try {
            for (SharedLogouts.Event e : shared.since(Instant.ofEpochMilli(created), LOGOUTS_PER_LOOK)) {
                if (e.issuer().equals(who.get().issuer())
                        && (e.subject() == null || e.subject().equals(who.get().subject()))
                        && (e.sid() == null || e.sid().equals(who.get().sid()))
                        && (e.subject() != null || e.sid() != null)) {
                    session.invalidate();
                    return false;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not check a restored session against the recorded logouts: {}", e.getMessage());
        }
        register(session, who.get().subject(), who.get().sid(), created);
        return true;
    }

    /**
     * Ends the local sessions that back-channel logouts received by other nodes named, for the provider
     * {@code issuer} ({@code null} before the provider answered: nothing is ended). Runs on the request path
     * at most once per poll interval per node (one query), never per request.
     */
    void pollSharedLogouts(String issuer) {
        if (!poll.tryAcquire()) {
            return;
        }
        try {
            // ordered by the database's sequence, not by any node's clock; a little overlap, as commits may land
            // out of id order, and ending a session twice is harmless
            List<SharedLogouts.Numbered> events =
                    shared.after(logoutsSeenThrough - LOGOUT_POLL_OVERLAP_IDS, LOGOUTS_PER_LOOK);
            long last = logoutsSeenThrough;
            for (SharedLogouts.Numbered numbered : events) {
                SharedLogouts.Event event = numbered.event();
                if (issuer != null && issuer.equals(event.issuer())) {
                    end(event.subject(), event.sid(), event.at().toEpochMilli());
                }
                last = Math.max(last, numbered.id());
            }
            logoutsSeenThrough = last;
        } catch (RuntimeException e) {
            LOG.warn("could not read the logouts other nodes received: {}", e.getMessage());
        }
    }

    /** Runs {@code action} on every registered session of {@code subject}. */
    void forEachOf(String subject, Consumer<HttpSession> action) {
        Set<Entry> entries = bySubject.get(subject);
        if (entries != null) {
            for (Entry e : entries) {
                action.accept(e.session());
            }
        }
    }

    /**
     * Ends every session of {@code subject} in provider session {@code sid}; a {@code null} sid ends all the
     * subject's sessions, a {@code null} subject all sessions of the sid.
     *
     * @return how many sessions were ended
     */
    int end(String subject, String sid) {
        return end(subject, sid, Long.MAX_VALUE);
    }

    /** As {@link #end(String, String)}, for sessions whose login completed before {@code loggedOutAt} (epoch ms). */
    int end(String subject, String sid, long loggedOutAt) {
        // a logout token names the subject, the provider session, or both: by subject from its index, by sid
        // alone (rare) from every entry
        Iterable<Entry> candidates = subject == null ? bySessionId.values() : bySubject.getOrDefault(subject, Set.of());
        List<Entry> matching = new ArrayList<>();
        for (Entry e : candidates) {
            if ((subject == null || subject.equals(e.subject()))
                    && (sid == null || sid.equals(e.sid()))
                    && e.loggedInAt() < loggedOutAt) {
                matching.add(e);
            }
        }
        int ended = 0;
        for (Entry e : matching) {
            remove(e);
            try {
                e.session().invalidate();
                ended++;
            } catch (IllegalStateException alreadyInvalid) {
                // ended meanwhile
            }
        }
        return ended;
    }

    /**
     * Whether a look at the logouts other nodes recorded is due ({@link #pollSharedLogouts} would read them):
     * the fast path leaves such a request to the way that looks.
     */
    boolean pollDue(long now) {
        return poll.due(now);
    }

    /** Whether the session has not ended. */
    static boolean isValid(HttpSession session) {
        try {
            session.getCreationTime();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
