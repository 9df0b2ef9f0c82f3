package dev.rolebridge.internal.store;

import dev.rolebridge.internal.mapping.SyncMode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A row of {@code RB_MAPPING_RULE}; see {@link MappingRule}. */
@NamedQueries({
    @NamedQuery(name = MappingRuleEntity.ALL, query = "SELECT r FROM RbMappingRule r"),
    @NamedQuery(
            name = MappingRuleEntity.MAX_POSITION,
            query = "SELECT MAX(r.position) FROM RbMappingRule r WHERE r.origin = :origin"),
    @NamedQuery(
            name = MappingRuleEntity.OF_ORIGIN,
            query = "SELECT r FROM RbMappingRule r WHERE r.origin = :origin ORDER BY r.position"),
    @NamedQuery(
            name = MappingRuleEntity.DELETE_OF_ORIGIN,
            query = "DELETE FROM RbMappingRule r WHERE r.origin = :origin")
})
@Entity(name = "RbMappingRule")
@Table(name = "RB_MAPPING_RULE")
class MappingRuleEntity {

    static final String ALL = "RbMappingRule.all";

    static final String MAX_POSITION = "RbMappingRule.maxPosition";

    static final String OF_ORIGIN = "RbMappingRule.ofOrigin";

    static final String DELETE_OF_ORIGIN = "RbMappingRule.deleteOfOrigin";

    @Id
    @SequenceGenerator(name = "RB_MAPPING_RULE", sequenceName = "RB_MAPPING_RULE_SEQ", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "RB_MAPPING_RULE")
    @Column(name = "ID")
    Long id;

    @Enumerated(EnumType.STRING)
    @Column(name = "KIND", nullable = false)
    MappingRule.Kind kind;

    @Column(name = "RULE_TEXT", nullable = false)
    String text;

    @Column(name = "TARGET_GROUP", nullable = false)
    String targetGroup;

    @Enumerated(EnumType.STRING)
    @Column(name = "SYNC_MODE")
    SyncMode syncMode;

    @Enumerated(EnumType.STRING)
    @Column(name = "ORIGIN", nullable = false)
    Origin origin;

    @Column(name = "RULE_POSITION", nullable = false)
    int position;

    /** {@code APPLY} for a rule of its own, {@code DISABLE} for an administrator's switching off a configured rule. */
    @Enumerated(EnumType.STRING)
    @Column(name = "RULE_ACTION", nullable = false)
    StoredRule.Action action = StoredRule.Action.APPLY;

    protected MappingRuleEntity() {}

    MappingRuleEntity(MappingRule rule, int position) {
        this.kind = rule.kind();
        this.text = rule.text();
        this.targetGroup = rule.targetGroup();
        this.syncMode = rule.syncMode();
        this.origin = rule.origin();
        this.position = position;
    }

    MappingRule toRule() {
        return new MappingRule(kind, text, targetGroup, syncMode, origin);
    }

    StoredRule toStored() {
        return new StoredRule(id, toRule(), action, position);
    }
}
