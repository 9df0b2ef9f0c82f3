package dev.rolebridge.oidc;

import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The signed-in sessions of this node, by the provider's subject and session id ({@code sid}), so that a
 * back-channel logout can end them. A session is registered once its login completes, under the id it has
 * after the renewal at login. Ended or expired sessions are dropped as they are found.
 */
final class SessionRegistry {

    private static final int PURGE_EVERY = 256;

    private record Entry(HttpSession session, String subject, String sid, long loggedInAt) {
    }

    private final Map<String, Entry> bySessionId = new ConcurrentHashMap<>();
    private final AtomicInteger registrations = new AtomicInteger();

    /** Registers a session signed in at {@code loggedInAt} (epoch ms). */
    void register(HttpSession session, String subject, String sid, long loggedInAt) {
        Objects.requireNonNull(subject, "subject");
        bySessionId.put(session.getId(), new Entry(session, subject, sid, loggedInAt));
        if (registrations.incrementAndGet() % PURGE_EVERY == 0) {
            bySessionId.values().removeIf(e -> !isValid(e.session()));
        }
    }

    /** Whether this node knows the session (registered at its login here, or adopted since). */
    boolean contains(HttpSession session) {
        return bySessionId.containsKey(session.getId());
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
        List<Entry> matching = new ArrayList<>();
        for (Entry e : bySessionId.values()) {
            if ((subject == null || subject.equals(e.subject())) && (sid == null || sid.equals(e.sid()))
                    && e.loggedInAt() < loggedOutAt) {
                matching.add(e);
            }
        }
        int ended = 0;
        for (Entry e : matching) {
            bySessionId.remove(e.session().getId());
            try {
                e.session().invalidate();
                ended++;
            } catch (IllegalStateException alreadyInvalid) {
                // ended meanwhile
            }
        }
        return ended;
    }

    private static boolean isValid(HttpSession session) {
        try {
            session.getCreationTime();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
