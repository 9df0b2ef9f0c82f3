package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.Administered;
import dev.rolebridge.internal.mapping.MappingConfig;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an administrator changes in the mapping: rules of their own ({@link Origin#ADMIN} rows that apply),
 * configured rules switched off ({@code ADMIN} rows with {@link StoredRule.Action#DISABLE} repeating the
 * configured rule, so the switch outlives the configuration's rows being rewritten at start), and settings
 * ({@code RB_SETTING}). Every change is one transaction and one audit event with actor {@value
 * MembershipStore#ACTOR_ADMIN}, naming the administrator and describing the rule; such events concern no user
 * (empty issuer and subject). {@link #administered()} reads all of it back as the mapping applies it.
 */
final class AdminRules {

    /** The setting that holds an administrator's order of the ranked roles, one role per line. */
    static final String ROLE_PRIORITY_SETTING = "rolePriority";

    private final Transactions transactions;

    AdminRules(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Every row: the configured rules in their order, then the administrator's in theirs. */
    List<StoredRule> table() {
        return transactions.read(em ->
                em.createNamedQuery(MappingRuleEntity.ALL, MappingRuleEntity.class).getResultList().stream()
                        .sorted(Comparator.comparing((MappingRuleEntity r) -> r.origin != Origin.CONFIG)
                                .thenComparingInt(r -> r.position)
                                .thenComparingLong(r -> r.id))
                        .map(MappingRuleEntity::toStored)
                        .toList());
    }

    /** Adds an administrator's rule (its origin must be {@link Origin#ADMIN}) after their others. */
    StoredRule add(MappingRule rule, String actedBy) {
        if (rule.origin() != Origin.ADMIN || rule.kind() == MappingRule.Kind.DEFAULT_GROUP) {
            throw new IllegalArgumentException("an administrator adds ADMIN group mappings, claim rules or"
                    + " hardcoded groups only, not " + rule.origin() + " " + rule.kind());
        }
        return transactions.transaction(
                "add the mapping rule '" + rule.text() + "'", MembershipStoreException::new, em -> {
                    MappingRuleEntity row = new MappingRuleEntity(rule, nextPosition(em));
                    em.persist(row);
                    em.flush();
                    audit(em, actedBy, "rule added: " + describe(rule));
                    return row.toStored();
                });
    }

    /** Switches the configured rule of row {@code id} off; nothing changes when it is off already. */
    StoredRule disable(long id, String actedBy) {
        return transactions.transaction("switch off mapping rule " + id, MembershipStoreException::new, em -> {
            MappingRuleEntity configured = em.find(MappingRuleEntity.class, id);
            if (configured == null || configured.origin != Origin.CONFIG) {
                throw new MembershipStoreException("Rule " + id + " is no configured rule; an administrator's own"
                        + " rule is deleted, not switched off");
            }
            if (configured.kind == MappingRule.Kind.DEFAULT_GROUP) {
                throw new MembershipStoreException("The default group cannot be switched off; set defaultGroup");
            }
            for (MappingRuleEntity row : adminRows(em)) {
                if (row.action == StoredRule.Action.DISABLE && sameRule(row, configured)) {
                    return row.toStored();
                }
            }
            MappingRule rule = new MappingRule(
                    configured.kind, configured.text, configured.targetGroup, configured.syncMode, Origin.ADMIN);
            MappingRuleEntity row = new MappingRuleEntity(rule, nextPosition(em));
            row.action = StoredRule.Action.DISABLE;
            em.persist(row);
            em.flush();
            audit(em, actedBy, "configured rule switched off: " + describe(rule));
            return row.toStored();
        });
    }

    /** Replaces an administrator's own rule in its place; empty when no such row applies a rule. */
    Optional<StoredRule> change(long id, MappingRule rule, String actedBy) {
        return transactions.transaction("change mapping rule " + id, MembershipStoreException::new, em -> {
            MappingRuleEntity row = em.find(MappingRuleEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (row == null || row.origin != Origin.ADMIN || row.action != StoredRule.Action.APPLY) {
                return Optional.empty();
            }
            String before = describe(row.toRule());
            row.kind = rule.kind();
            row.text = rule.text();
            row.targetGroup = rule.targetGroup();
            row.syncMode = rule.syncMode();
            em.flush();
            audit(em, actedBy, "rule changed: " + before + " -> " + describe(row.toRule()));
            return Optional.of(row.toStored());
        });
    }

    /**
     * Deletes an administrator's row: their own rule, or their switching off of a configured rule (which then
     * applies again). A configured rule is switched off, not deleted.
     *
     * @return whether an administrator's row had that id
     */
    boolean delete(long id, String actedBy) {
        return transactions.transaction("delete mapping rule " + id, MembershipStoreException::new, em -> {
            MappingRuleEntity row = em.find(MappingRuleEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (row == null || row.origin != Origin.ADMIN) {
                return false;
            }
            em.remove(row);
            em.flush();
            audit(
                    em,
                    actedBy,
                    (row.action == StoredRule.Action.DISABLE ? "configured rule switched on again: " : "rule deleted: ")
                            + describe(row.toRule()));
            return true;
        });
    }

    /** A setting's value, if an administrator set it. */
    Optional<String> setting(String name) {
        return transactions.read(
                em -> Optional.ofNullable(em.find(SettingEntity.class, name)).map(s -> s.value));
    }

    /** Sets (or, with {@code null}, removes) a setting, audited as {@code description}. */
    void setSetting(String name, String value, String actedBy, String description) {
        Objects.requireNonNull(name, "name");
        transactions.transaction("set " + name, MembershipStoreException::new, em -> {
            SettingEntity setting = em.find(SettingEntity.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (value == null) {
                if (setting != null) {
                    em.remove(setting);
                }
            } else if (setting == null) {
                em.persist(new SettingEntity(name, value));
            } else {
                setting.value = value;
            }
            em.flush();
            audit(em, actedBy, description);
            return null;
        });
    }

    /** Keeps a new SCIM token's digest, audited; the caller shows the token once. */
    ScimToken createScimToken(String name, String digestHex, String actedBy) {
        return transactions.transaction("create a SCIM token", MembershipStoreException::new, em -> {
            ScimTokenEntity token = new ScimTokenEntity();
            token.id = java.util.UUID.randomUUID().toString();
            token.name = name;
            token.digest = digestHex;
            token.createdAt = transactions.now();
            token.createdBy = actedBy;
            em.persist(token);
            em.flush();
            audit(em, actedBy, "SCIM token '" + name + "' created");
            return token.toRecord();
        });
    }

    List<ScimToken> scimTokens() {
        return transactions.read(
                em -> em.createNamedQuery(ScimTokenEntity.ALL, ScimTokenEntity.class).getResultList().stream()
                        .map(ScimTokenEntity::toRecord)
                        .toList());
    }

    /** Revokes a token, audited; false when no valid token has that id. */
    boolean revokeScimToken(String id, String actedBy) {
        return transactions.transaction("revoke a SCIM token", MembershipStoreException::new, em -> {
            ScimTokenEntity token = em.find(ScimTokenEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (token == null || token.revokedAt != null) {
                return false;
            }
            token.revokedAt = transactions.now();
            em.flush();
            audit(em, actedBy, "SCIM token '" + token.name + "' revoked");
            return true;
        });
    }

    /** Whether a valid (not revoked) token has this digest: one indexed query. */
    boolean scimTokenValid(String digestHex) {
        return transactions.read(em -> em.createNamedQuery(ScimTokenEntity.VALID, Long.class)
                        .setParameter("digest", digestHex)
                        .getSingleResult()
                > 0);
    }

    /** The administrator's rules and role order, as {@link MappingConfig#administered} lays them over the configuration. */
    Administered administered() {
        return transactions.read(em -> {
            List<Map.Entry<String, List<String>>> mappings = new ArrayList<>();
            List<String> claimRules = new ArrayList<>();
            List<String> hardcoded = new ArrayList<>();
            Set<Map.Entry<String, String>> offMappings = new LinkedHashSet<>();
            Set<String> offClaimRules = new LinkedHashSet<>();
            Set<String> offHardcoded = new LinkedHashSet<>();
            for (MappingRuleEntity row : adminRows(em)) {
                boolean off = row.action == StoredRule.Action.DISABLE;
                switch (row.kind) {
                    case GROUP_MAPPING -> {
                        Map.Entry<String, List<String>> entry = MappingConfig.groupMappingEntry(row.text);
                        if (entry == null) {
                            MembershipStore.LOG.warn(
                                    "Mapping rule {} ('{}') is no group mapping; ignored", row.id, row.text);
                        } else if (off) {
                            entry.getValue().forEach(target -> offMappings.add(Map.entry(entry.getKey(), target)));
                        } else {
                            mappings.add(entry);
                        }
                    }
                    case CLAIM_RULE -> (off ? offClaimRules : claimRules).add(row.text);
                    case HARDCODED_GROUP -> (off ? offHardcoded : hardcoded).add(row.targetGroup);
                    case DEFAULT_GROUP -> {} // never an administrator's
                }
            }
            SettingEntity priority = em.find(SettingEntity.class, ROLE_PRIORITY_SETTING);
            return new Administered(
                    mappings,
                    claimRules,
                    hardcoded,
                    offMappings,
                    offClaimRules,
                    offHardcoded,
                    priority == null ? null : AuditEvent.decode(priority.value));
        });
    }

    private static List<MappingRuleEntity> adminRows(EntityManager em) {
        return em.createNamedQuery(MappingRuleEntity.OF_ORIGIN, MappingRuleEntity.class)
                .setParameter("origin", Origin.ADMIN)
                .getResultList();
    }

    private static boolean sameRule(MappingRuleEntity a, MappingRuleEntity b) {
        return a.kind == b.kind && a.text.equals(b.text) && a.targetGroup.equals(b.targetGroup);
    }

    private static int nextPosition(EntityManager em) {
        Integer max = em.createNamedQuery(MappingRuleEntity.MAX_POSITION, Integer.class)
                .setParameter("origin", Origin.ADMIN)
                .getSingleResult();
        return max == null ? 0 : max + 1;
    }

    private static String describe(MappingRule rule) {
        String parameter = switch (rule.kind()) {
            case GROUP_MAPPING -> "groupMappings";
            case CLAIM_RULE -> "claimRules";
            case HARDCODED_GROUP -> "hardcodedGroups";
            case DEFAULT_GROUP -> "defaultGroup";
        };
        return parameter + " '" + rule.text() + "'";
    }

    private void audit(EntityManager em, String actedBy, String description) {
        audit(em, transactions.now(), actedBy, description);
    }

    /** One audit event, actor {@value MembershipStore#ACTOR_ADMIN}, for a change that concerns no user. */
    static void audit(EntityManager em, java.time.Instant now, String actedBy, String description) {
        AuditEventEntity event = new AuditEventEntity();
        event.time = now;
        event.actor = MembershipStore.ACTOR_ADMIN;
        event.actedBy = actedBy;
        event.issuer = "";
        event.subject = "";
        event.added = "";
        event.removed = "";
        event.created = "";
        event.rulesFired = AuditEvent.encode(List.of(description));
        em.persist(event);
    }
}
