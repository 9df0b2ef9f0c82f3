package dev.rolebridge.internal.store;

import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One user's memberships inside a transaction: for each group name, the sources the user holds it from.
 * Read once per transaction with one query, then kept in step by {@link MembershipChange#apply}.
 */
final class Memberships {

    private final Map<String, Set<MembershipSource>> sourcesByGroup = new TreeMap<>();

    private Memberships() {}

    /** None yet: a user created in this transaction, or memberships about to be read in with {@link #add}. */
    static Memberships none() {
        return new Memberships();
    }

    /** Every membership of the user, from every source. */
    static Memberships of(EntityManager em, long userId) {
        Memberships memberships = new Memberships();
        for (Object[] row : em.createNamedQuery(MembershipEntity.OF_USER, Object[].class)
                .setParameter("user", userId)
                .getResultList()) {
            memberships.add((String) row[0], (MembershipSource) row[1]);
        }
        return memberships;
    }

    boolean holds(String group, MembershipSource source) {
        return sourcesByGroup.getOrDefault(group, Set.of()).contains(source);
    }

    /** The groups held from {@code source}, in name order. */
    Set<String> groupsOf(MembershipSource source) {
        Set<String> groups = new LinkedHashSet<>();
        sourcesByGroup.forEach((group, sources) -> {
            if (sources.contains(source)) {
                groups.add(group);
            }
        });
        return groups;
    }

    /** The groups held from any source but {@code source}, in name order. */
    Set<String> groupsNotOf(MembershipSource source) {
        Set<String> groups = new LinkedHashSet<>();
        sourcesByGroup.forEach((group, sources) -> {
            if (sources.stream().anyMatch(s -> s != source)) {
                groups.add(group);
            }
        });
        return groups;
    }

    /** Every group held, from any source, in name order. */
    List<String> groups() {
        return sourcesByGroup.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Every membership, ordered by group name then source. */
    List<StoredUser.Membership> list() {
        List<StoredUser.Membership> list = new ArrayList<>();
        sourcesByGroup.forEach(
                (group, sources) -> sources.forEach(source -> list.add(new StoredUser.Membership(group, source))));
        return list;
    }

    void add(String group, MembershipSource source) {
        sourcesByGroup
                .computeIfAbsent(group, name -> EnumSet.noneOf(MembershipSource.class))
                .add(source);
    }

    void remove(String group, MembershipSource source) {
        Set<MembershipSource> sources = sourcesByGroup.get(group);
        if (sources != null) {
            sources.remove(source);
        }
    }
}
