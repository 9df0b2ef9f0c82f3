package dev.rolebridge.internal.mapping;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The mapping rules an administrator keeps in the database, which {@link MappingConfig#administered} lays over
 * the configuration: rules of their own, configured rules switched off, and a new order of the ranked roles.
 *
 * @param groupMappings the administrator's IdP-group mappings, in order (IdP group to app groups)
 * @param claimRules the administrator's claim rules, in order, as written in the {@code claimRules} grammar
 * @param hardcodedGroups the administrator's hardcoded groups, in order
 * @param disabledGroupMappings the configured (IdP group, app group) mappings switched off
 * @param disabledClaimRules the configured claim rules switched off, by their text
 * @param disabledHardcodedGroups the configured hardcoded groups switched off
 * @param rolePriority the ranked roles in the administrator's order, highest first, or {@code null} for the
 *     configured order
 */
public record Administered(
        List<Map.Entry<String, List<String>>> groupMappings,
        List<String> claimRules,
        List<String> hardcodedGroups,
        Set<Map.Entry<String, String>> disabledGroupMappings,
        Set<String> disabledClaimRules,
        Set<String> disabledHardcodedGroups,
        List<String> rolePriority) {

    private static final Administered NONE =
            new Administered(List.of(), List.of(), List.of(), Set.of(), Set.of(), Set.of(), null);

    public Administered {
        groupMappings = List.copyOf(groupMappings);
        claimRules = List.copyOf(claimRules);
        hardcodedGroups = List.copyOf(hardcodedGroups);
        disabledGroupMappings = Set.copyOf(disabledGroupMappings);
        disabledClaimRules = Set.copyOf(disabledClaimRules);
        disabledHardcodedGroups = Set.copyOf(disabledHardcodedGroups);
        rolePriority = rolePriority == null ? null : List.copyOf(rolePriority);
    }

    /** No administrator's rules: the configuration as it is. */
    public static Administered none() {
        return NONE;
    }

    /** Whether it changes nothing of the configuration. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** These rules with {@code other}'s added to them (the order of rules kept: these first). */
    public Administered with(Administered other) {
        Objects.requireNonNull(other, "other");
        return new Administered(
                concat(groupMappings, other.groupMappings),
                concat(claimRules, other.claimRules),
                concat(hardcodedGroups, other.hardcodedGroups),
                union(disabledGroupMappings, other.disabledGroupMappings),
                union(disabledClaimRules, other.disabledClaimRules),
                union(disabledHardcodedGroups, other.disabledHardcodedGroups),
                other.rolePriority != null ? other.rolePriority : rolePriority);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }
}
