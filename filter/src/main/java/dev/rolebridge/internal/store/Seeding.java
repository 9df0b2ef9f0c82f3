package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.MappingConfig;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One run of {@link MembershipStore#seed}: writes the configuration into the tables with the precedence
 * documented there, inside the caller's transaction, and reports what it changed.
 *
 * @param roles roles added
 * @param ranks ranks of configured roles brought in line with {@code rolePriority}
 * @param groups groups added
 * @param grants grants added
 * @param rules configured mapping rules written (0 when the table already mirrored the configuration)
 * @param kept the configured grants that the database overrides, one line each for the log
 */
record Seeding(int roles, int ranks, int groups, int grants, int rules, List<String> kept) {

    int changes() {
        return roles + ranks + groups + grants + rules;
    }

    static Seeding apply(EntityManager em, MappingConfig config, Instant now) {
        Map<String, RoleEntity> roles = new HashMap<>();
        em.createNamedQuery(RoleEntity.ALL, RoleEntity.class).getResultList().forEach(r -> roles.put(r.name, r));
        int addedRoles = 0;
        int ranks = 0;
        List<String> priority = config.rolePriority();
        for (String name : config.roles()) {
            int index = priority.indexOf(name);
            Integer rank = index < 0 ? null : index;
            RoleEntity role = roles.get(name);
            if (role == null) {
                role = new RoleEntity(name, rank, Origin.CONFIG);
                em.persist(role);
                roles.put(role.name, role);
                addedRoles++;
            } else if (role.origin == Origin.CONFIG && !Objects.equals(role.rank, rank)) {
                role.rank = rank;
                ranks++;
            }
        }

        // The role groups (every ranked role but the lowest), the default group (the lowest role), the groups
        // of the declared roles, then groupRoles: each with every role the configuration says it grants.
        Map<String, Set<String>> wanted = config.configuredGrants();
        Map<String, GroupEntity> groups = new HashMap<>();
        em.createNamedQuery(GroupEntity.BY_NAMES, GroupEntity.class)
                .setParameter("names", List.copyOf(wanted.keySet()))
                .getResultList()
                .forEach(g -> groups.put(g.name, g));
        int addedGroups = 0;
        for (String name : wanted.keySet()) {
            if (!groups.containsKey(name)) {
                GroupEntity.checkName(name, MembershipStoreException::new);
                GroupEntity group = new GroupEntity(name, Origin.CONFIG, now);
                em.persist(group);
                groups.put(name, group);
                addedGroups++;
            }
        }
        em.flush(); // the roles and groups the grants refer to

        Map<Long, Set<Long>> grantedRolesByGroup = new HashMap<>();
        em.createNamedQuery(GroupRoleEntity.OF_GROUPS, GroupRoleEntity.class)
                .setParameter("groups", groups.values().stream().map(g -> g.id).toList())
                .getResultList()
                .forEach(grant -> grantedRolesByGroup
                        .computeIfAbsent(grant.groupId, g -> new HashSet<>())
                        .add(grant.roleId));
        Map<Long, RoleEntity> rolesById = new HashMap<>();
        roles.values().forEach(role -> rolesById.put(role.id, role));
        int addedGrants = 0;
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, Set<String>> grant : wanted.entrySet()) {
            GroupEntity group = groups.get(grant.getKey());
            Set<Long> current = grantedRolesByGroup.getOrDefault(group.id, Set.of());
            for (String roleName : grant.getValue()) {
                RoleEntity role = roles.get(roleName);
                if (current.contains(role.id)) {
                    continue;
                }
                // A group's ranked grant in the database wins over a different ranked one in the configuration;
                // unranked roles only add.
                RoleEntity ranked = role.rank == null
                        ? null
                        : current.stream()
                                .map(rolesById::get)
                                .filter(r -> r != null && r.rank != null)
                                .findFirst()
                                .orElse(null);
                if (ranked != null) {
                    kept.add("app group '" + group.name + "' grants role '" + ranked.name + "' in the database, the"
                            + " configuration says '" + roleName + "'; the database wins (change or delete its row in"
                            + " RB_GROUP_ROLE to apply the configuration)");
                    continue;
                }
                em.persist(new GroupRoleEntity(group.id, role.id, Origin.CONFIG));
                addedGrants++;
            }
        }

        List<MappingRule> configured = configuredRules(config);
        List<MappingRule> stored = em
                .createNamedQuery(MappingRuleEntity.OF_ORIGIN, MappingRuleEntity.class)
                .setParameter("origin", Origin.CONFIG)
                .getResultList()
                .stream()
                .map(MappingRuleEntity::toRule)
                .toList();
        int rules = 0;
        if (!stored.equals(configured)) {
            // A bulk delete runs at once, before the inserts (EclipseLink would order em.remove() after them,
            // against the unique position of each rule).
            em.createNamedQuery(MappingRuleEntity.DELETE_OF_ORIGIN)
                    .setParameter("origin", Origin.CONFIG)
                    .executeUpdate();
            for (int i = 0; i < configured.size(); i++) {
                em.persist(new MappingRuleEntity(configured.get(i), i));
            }
            rules = configured.size();
        }
        return new Seeding(addedRoles, ranks, addedGroups, addedGrants, rules, kept);
    }

    /** The configuration's rules as rows of origin CONFIG, in the order the mapper applies them. */
    static List<MappingRule> configuredRules(MappingConfig config) {
        List<MappingRule> rules = new ArrayList<>();
        config.groupMappings()
                .forEach((idpGroup, targets) -> targets.forEach(target -> rules.add(new MappingRule(
                        MappingRule.Kind.GROUP_MAPPING,
                        escape(idpGroup) + " = " + escape(target),
                        target,
                        null,
                        Origin.CONFIG))));
        config.claimRules()
                .forEach(rule -> rules.add(new MappingRule(
                        MappingRule.Kind.CLAIM_RULE, rule.text(), rule.group(), rule.mode(), Origin.CONFIG)));
        config.hardcodedGroups()
                .forEach(group -> rules.add(
                        new MappingRule(MappingRule.Kind.HARDCODED_GROUP, escape(group), group, null, Origin.CONFIG)));
        rules.add(new MappingRule(
                MappingRule.Kind.DEFAULT_GROUP,
                escape(config.defaultGroup()),
                config.defaultGroup(),
                null,
                Origin.CONFIG));
        return rules;
    }

    private static String escape(String name) {
        return MappingConfig.escapeName(name);
    }
}
