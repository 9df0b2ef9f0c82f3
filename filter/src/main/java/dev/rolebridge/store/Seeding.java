package dev.rolebridge.store;

import dev.rolebridge.mapping.MappingConfig;
import jakarta.persistence.EntityManager;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    static Seeding apply(EntityManager em, MappingConfig config, LocalDateTime now) {
        Map<String, RoleEntity> roles = new HashMap<>();
        em.createQuery("SELECT r FROM RbRole r", RoleEntity.class).getResultList().forEach(r -> roles.put(r.name, r));
        int addedRoles = 0;
        int ranks = 0;
        List<String> priority = config.rolePriority();
        for (int rank = 0; rank < priority.size(); rank++) {
            RoleEntity role = roles.get(priority.get(rank));
            if (role == null) {
                role = new RoleEntity(priority.get(rank), rank, Origin.CONFIG);
                em.persist(role);
                roles.put(role.name, role);
                addedRoles++;
            } else if (role.origin == Origin.CONFIG && role.rank != rank) {
                role.rank = rank;
                ranks++;
            }
        }

        // The role groups (every role but the lowest), the default group (the lowest role), then groupRoles.
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String role : priority.subList(0, priority.size() - 1)) {
            wanted.put(role, role);
        }
        wanted.put(config.defaultGroup(), config.lowestRole());
        config.groupRoles().forEach(wanted::putIfAbsent);
        Map<String, GroupEntity> groups = new HashMap<>();
        em.createQuery("SELECT g FROM RbGroup g WHERE g.name IN :names", GroupEntity.class)
                .setParameter("names", List.copyOf(wanted.keySet())).getResultList().forEach(g -> groups.put(g.name, g));
        int addedGroups = 0;
        for (String name : wanted.keySet()) {
            if (!groups.containsKey(name)) {
                MembershipStore.checkGroupName(name, MembershipStoreException::new);
                GroupEntity group = new GroupEntity(name, Origin.CONFIG, now);
                em.persist(group);
                groups.put(name, group);
                addedGroups++;
            }
        }
        em.flush(); // the roles and groups the grants refer to

        Map<Long, Long> grantedRoleByGroup = new HashMap<>();
        em.createQuery("SELECT gr FROM RbGroupRole gr WHERE gr.groupId IN :groups", GroupRoleEntity.class)
                .setParameter("groups", groups.values().stream().map(g -> g.id).toList()).getResultList()
                .forEach(grant -> grantedRoleByGroup.put(grant.groupId, grant.roleId));
        Map<Long, String> roleNames = new HashMap<>();
        roles.values().forEach(role -> roleNames.put(role.id, role.name));
        int addedGrants = 0;
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, String> grant : wanted.entrySet()) {
            GroupEntity group = groups.get(grant.getKey());
            long roleId = roles.get(grant.getValue()).id;
            Long current = grantedRoleByGroup.get(group.id);
            if (current == null) {
                em.persist(new GroupRoleEntity(group.id, roleId, Origin.CONFIG));
                addedGrants++;
            } else if (current != roleId) {
                kept.add("app group '" + group.name + "' grants role '" + roleNames.getOrDefault(current, "#" + current)
                        + "' in the database, the configuration says '" + grant.getValue() + "'; the database wins"
                        + " (change or delete its row in RB_GROUP_ROLE to apply the configuration)");
            }
        }

        List<MappingRule> configured = configuredRules(config);
        List<MappingRule> stored = em.createQuery("SELECT r FROM RbMappingRule r WHERE r.origin = :origin"
                + " ORDER BY r.position", MappingRuleEntity.class)
                .setParameter("origin", Origin.CONFIG).getResultList().stream().map(MappingRuleEntity::toRule).toList();
        int rules = 0;
        if (!stored.equals(configured)) {
            // A bulk delete runs at once, before the inserts (EclipseLink would order em.remove() after them,
            // against the unique position of each rule).
            em.createQuery("DELETE FROM RbMappingRule r WHERE r.origin = :origin")
                    .setParameter("origin", Origin.CONFIG).executeUpdate();
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
        config.groupMappings().forEach((idpGroup, targets) -> targets.forEach(target -> rules.add(new MappingRule(
                MappingRule.Kind.GROUP_MAPPING, escape(idpGroup) + " = " + escape(target), target, null, Origin.CONFIG))));
        config.claimRules().forEach(rule -> rules.add(new MappingRule(
                MappingRule.Kind.CLAIM_RULE, rule.text(), rule.group(), rule.mode(), Origin.CONFIG)));
        config.hardcodedGroups().forEach(group -> rules.add(new MappingRule(
                MappingRule.Kind.HARDCODED_GROUP, escape(group), group, null, Origin.CONFIG)));
        rules.add(new MappingRule(MappingRule.Kind.DEFAULT_GROUP, escape(config.defaultGroup()), config.defaultGroup(),
                null, Origin.CONFIG));
        return rules;
    }

    /** A name as the table grammar of the mapping parameters writes it: {@code \ ; , = #} escaped. */
    private static String escape(String name) {
        StringBuilder text = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ("\\;,=#".indexOf(c) >= 0) {
                text.append('\\');
            }
            text.append(c);
        }
        return text.toString();
    }
}
