package dev.rolebridge.internal.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an administration page reads from the store: users found by a search, a user's memberships with where
 * each came from, and the audit trail filtered and in pages. Read-only, each read with an entity manager of its
 * own; the public methods are {@link MembershipStore}'s, documented there.
 */
final class AdminReads {

    /** The most items a page may hold. */
    static final int MAX_PAGE_SIZE = 500;

    /** How many audit events {@link #membershipDetails} reads per query while it looks for the groups' events. */
    private static final int EVENTS_PER_READ = 200;

    private final Transactions transactions;

    AdminReads(Transactions transactions) {
        this.transactions = transactions;
    }

    Page<StoredUser> searchUsers(String query, int offset, int limit) {
        checkPage(offset, limit);
        String pattern = query == null || query.isBlank()
                ? null
                : "%" + escapeLike(query.strip().toLowerCase(Locale.ROOT)) + "%";
        return transactions.read(em -> {
            TypedQuery<UserEntity> page;
            TypedQuery<Long> count;
            if (pattern == null) {
                page = em.createNamedQuery(UserEntity.ALL_BY_NAME, UserEntity.class);
                count = em.createNamedQuery(UserEntity.COUNT_ALL, Long.class);
            } else {
                page = em.createNamedQuery(UserEntity.SEARCH, UserEntity.class).setParameter("pattern", pattern);
                count = em.createNamedQuery(UserEntity.COUNT_SEARCH, Long.class).setParameter("pattern", pattern);
            }
            long total = count.getSingleResult();
            List<UserEntity> users =
                    page.setFirstResult(offset).setMaxResults(limit).getResultList();
            Map<Long, Memberships> memberships = new HashMap<>();
            users.forEach(user -> memberships.put(user.id, Memberships.none()));
            if (!users.isEmpty()) { // one query for the page's users
                for (Object[] row : em.createNamedQuery(MembershipEntity.OF_USERS, Object[].class)
                        .setParameter("users", List.copyOf(memberships.keySet()))
                        .getResultList()) {
                    memberships.get((Long) row[0]).add((String) row[1], (MembershipSource) row[2]);
                }
            }
            List<StoredUser> items = users.stream()
                    .map(user -> new StoredUser(
                            user.id,
                            user.issuer,
                            user.subject,
                            user.username,
                            user.email,
                            user.primaryRole,
                            user.lastLogin,
                            user.active,
                            memberships.get(user.id).list()))
                    .toList();
            return new Page<>(items, total, offset, limit);
        });
    }

    Optional<List<MembershipDetail>> membershipDetails(String issuer, String subject) {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        return transactions.read(em -> {
            UserEntity user = UserEntity.find(em, issuer, subject, false);
            if (user == null) {
                return Optional.empty();
            }
            List<Held> held = new ArrayList<>();
            for (Object[] row : em.createNamedQuery(MembershipEntity.OF_USER_SINCE, Object[].class)
                    .setParameter("user", user.id)
                    .getResultList()) {
                held.add(new Held((String) row[0], (MembershipSource) row[1], (Instant) row[2]));
            }
            held.sort(Comparator.comparing(Held::group).thenComparing(Held::source));
            findAddingEvents(em, user.id, held);
            return Optional.of(held.stream()
                    .map(h -> {
                        AuditEventEntity event = h.exact != null ? h.exact : h.newest;
                        return event == null
                                ? new MembershipDetail(h.group, h.source, h.since, null, List.of())
                                : new MembershipDetail(
                                        h.group, h.source, h.since, event.actor, AuditEvent.decode(event.rulesFired));
                    })
                    .toList());
        });
    }

    /**
     * Reads the user's events that added groups, newest first, a few hundred per query, until each membership
     * has its event: the one that added its group at the very time the membership was stored (the change wrote
     * both with one time), else the newest that added its group. Stops early once every membership has one.
     */
    private static void findAddingEvents(EntityManager em, long userId, List<Held> held) {
        List<Held> open = new ArrayList<>(held);
        for (int first = 0; !open.isEmpty(); first += EVENTS_PER_READ) {
            List<AuditEventEntity> events = em.createNamedQuery(AuditEventEntity.ADDING_OF_USER, AuditEventEntity.class)
                    .setParameter("user", userId)
                    .setFirstResult(first)
                    .setMaxResults(EVENTS_PER_READ)
                    .getResultList();
            for (AuditEventEntity event : events) {
                List<String> added = AuditEvent.decode(event.added);
                open.removeIf(h -> {
                    if (added.contains(h.group)) {
                        if (h.newest == null) {
                            h.newest = event;
                        }
                        if (event.time.equals(h.since)) {
                            h.exact = event;
                            return true;
                        }
                    }
                    // older than the membership: no later event can be the one that stored it
                    return h.newest != null && event.time.isBefore(h.since);
                });
                if (open.isEmpty()) {
                    return;
                }
            }
            if (events.size() < EVENTS_PER_READ) {
                return;
            }
        }
    }

    /** One membership while {@link #membershipDetails} looks for its audit event. */
    private static final class Held {
        final String group;
        final MembershipSource source;
        final Instant since;
        AuditEventEntity exact;
        AuditEventEntity newest;

        Held(String group, MembershipSource source, Instant since) {
            this.group = group;
            this.source = source;
            this.since = since;
        }

        String group() {
            return group;
        }

        MembershipSource source() {
            return source;
        }
    }

    Page<AuditEvent> auditTrail(AuditQuery query, int offset, int limit) {
        Objects.requireNonNull(query, "query");
        checkPage(offset, limit);
        List<String> conditions = new ArrayList<>();
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (query.subject() != null) {
            conditions.add("(e.subject = :subject OR e.userId IN"
                    + " (SELECT u.id FROM RbUser u WHERE u.usernameKey = :username))");
            parameters.put("subject", query.subject());
            parameters.put("username", UserEntity.usernameKey(query.subject()));
        }
        if (query.group() != null) {
            // one entry per line (AuditEvent.encode), no line break inside an encoded entry: the list holds the
            // group exactly when the column is the entry, begins or ends with it on a line, or has it between two
            String entry = escapeLike(AuditEvent.encode(List.of(query.group())));
            parameters.put("only", entry);
            parameters.put("firstLine", entry + "\n%");
            parameters.put("lastLine", "%\n" + entry);
            parameters.put("innerLine", "%\n" + entry + "\n%");
            List<String> columns = new ArrayList<>();
            for (String column : List.of("e.added", "e.removed", "e.created")) {
                for (String pattern : List.of("only", "firstLine", "lastLine", "innerLine")) {
                    columns.add(column + " LIKE :" + pattern + " ESCAPE '!'");
                }
            }
            conditions.add("(" + String.join(" OR ", columns) + ")");
        }
        if (query.actor() != null) {
            conditions.add("e.actor = :actor");
            parameters.put("actor", query.actor());
        }
        if (query.from() != null) {
            conditions.add("e.time >= :from");
            parameters.put("from", query.from());
        }
        if (query.to() != null) {
            conditions.add("e.time < :to");
            parameters.put("to", query.to());
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return transactions.read(em -> {
            TypedQuery<Long> count = em.createQuery("SELECT COUNT(e) FROM RbAuditEvent e" + where, Long.class);
            TypedQuery<AuditEventEntity> page = em.createQuery(
                    "SELECT e FROM RbAuditEvent e" + where + " ORDER BY e.time DESC, e.id DESC",
                    AuditEventEntity.class);
            parameters.forEach((name, value) -> {
                count.setParameter(name, value);
                page.setParameter(name, value);
            });
            long total = count.getSingleResult();
            List<AuditEvent> items = page.setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                    .map(AuditEventEntity::toEvent)
                    .toList();
            return new Page<>(items, total, offset, limit);
        });
    }

    /** {@code text} as a LIKE pattern that matches only itself, escaped with {@code '!'}. */
    static String escapeLike(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '!' || c == '%' || c == '_') {
                escaped.append('!');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** @throws IllegalArgumentException when {@code offset} is negative or {@code limit} not 1 to 500 */
    static void checkPage(int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset is " + offset + "; expected 0 or more");
        }
        checkLimit(limit);
    }

    /** @throws IllegalArgumentException when {@code limit} is not 1 to 500 */
    static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit is " + limit + "; expected 1 to " + MAX_PAGE_SIZE);
        }
    }
}
