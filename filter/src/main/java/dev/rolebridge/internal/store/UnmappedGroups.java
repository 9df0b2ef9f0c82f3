package dev.rolebridge.internal.store;

import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The provider's groups that logins carried but that mapped to nothing ({@code RB_UNMAPPED_GROUP}): each login
 * the built-in sync stores records them for its user in its own transaction ({@link #record}), so that an
 * administrator sees which groups could be mapped ({@link MembershipStore#unmappedGroups}); old rows are pruned
 * with {@link MembershipStore#deleteUnmappedGroupsBefore}.
 */
final class UnmappedGroups {

    /** The most names one login records; the groups claim is bounded by {@code maxGroups} already. */
    static final int MAX_PER_LOGIN = 100;

    private final Transactions transactions;

    UnmappedGroups(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Records that a login of {@code userId} at {@code now} carried {@code names}, which mapped to nothing: one row
     * per name and user, its last-seen time updated when it exists. Blank names and names wider than a group name
     * ({@value MembershipStore#MAX_GROUP_NAME_LENGTH} characters) are left out, and at most
     * {@value #MAX_PER_LOGIN} names are recorded, so that this record never fails or burdens a login. Sends no
     * statement when nothing is left; else one query for the rows that exist (none for a user created in this
     * transaction), one update of them and the inserts of the others.
     *
     * @param newUser whether the user was created in this transaction (and has no row yet)
     */
    static void record(EntityManager em, long userId, boolean newUser, List<String> names, Instant now) {
        Map<String, String> byHash = new LinkedHashMap<>();
        for (String name : names) {
            if (byHash.size() == MAX_PER_LOGIN) {
                MembershipStore.LOG.debug(
                        "The login carried {} unmapped groups; the first {} are recorded", names.size(), MAX_PER_LOGIN);
                break;
            }
            if (!name.isBlank() && name.length() <= MembershipStore.MAX_GROUP_NAME_LENGTH) {
                byHash.putIfAbsent(hash(name), name);
            }
        }
        if (byHash.isEmpty()) {
            return;
        }
        List<String> hashes = List.copyOf(byHash.keySet());
        Set<String> existing = new HashSet<>();
        if (!newUser) {
            existing.addAll(em.createNamedQuery(UnmappedGroupEntity.HASHES_OF_USER, String.class)
                    .setParameter("user", userId)
                    .setParameter("hashes", hashes)
                    .getResultList());
        }
        if (!existing.isEmpty()) {
            em.createNamedQuery(UnmappedGroupEntity.TOUCH)
                    .setParameter("now", now)
                    .setParameter("user", userId)
                    .setParameter("hashes", List.copyOf(existing))
                    .executeUpdate();
        }
        byHash.forEach((hash, name) -> {
            if (!existing.contains(hash)) {
                em.persist(new UnmappedGroupEntity(hash, userId, name, now));
            }
        });
    }

    List<UnmappedGroup> summary(Instant since, int limit) {
        Objects.requireNonNull(since, "since");
        AdminReads.checkLimit(limit);
        return transactions.read(em -> {
            List<UnmappedGroup> groups = new ArrayList<>();
            for (Object[] row : em.createNamedQuery(UnmappedGroupEntity.SUMMARY_SINCE, Object[].class)
                    .setParameter("since", since)
                    .setMaxResults(limit)
                    .getResultList()) {
                groups.add(new UnmappedGroup((String) row[0], ((Number) row[1]).longValue(), instant(row[2])));
            }
            return groups;
        });
    }

    int deleteBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        int deleted = transactions.transaction(
                "delete the unmapped groups last seen before " + before,
                MembershipStoreException::new,
                em -> em.createNamedQuery(UnmappedGroupEntity.DELETE_BEFORE)
                        .setParameter("before", before)
                        .executeUpdate());
        MembershipStore.LOG.debug("Deleted {} unmapped groups last seen before {}", deleted, before);
        return deleted;
    }

    /** The SHA-256 of the name's UTF-8 bytes, in lower-case hex (64 characters): the name's key in the table. */
    static String hash(String name) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    /** A {@code MAX} of the time column: the converted time, or the column's microseconds, as the provider hands it. */
    private static Instant instant(Object value) {
        return value instanceof Instant time ? time : UtcMicros.at(((Number) value).longValue());
    }
}
